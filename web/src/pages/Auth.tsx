// Log in and sign up. Field errors come from the API's validation issues; a failed login shows
// the API's one generic message, whatever was wrong.
import { useMutation } from "@tanstack/react-query";
import { useRef, useState, type FormEvent } from "react";
import { fieldErrors, logIn, signUp } from "../api";
import { Link, navigate, useLocation } from "../router";
import { Field, FormCard, useFocusFirstInvalid, Page } from "../ui";

/** Where to go after signing in: the `next` parameter when it is a path on this site. */
function useNext() {
  const next = useLocation().params.get("next");
  return next && next.startsWith("/") && !next.startsWith("//") ? next : "/";
}

function AuthForm({ kind }: { kind: "login" | "signup" }) {
  const next = useNext();
  const form = useRef<HTMLFormElement>(null);
  const [values, setValues] = useState({ name: "", email: "", password: "" });
  const submit = useMutation({
    mutationFn: () => (kind === "login" ? logIn({ email: values.email, password: values.password }) : signUp(values)),
    onSuccess: () => navigate(next, { replace: true }),
  });
  const errors = fieldErrors(submit.error);
  useFocusFirstInvalid(form, submit.error);
  const set = (name: keyof typeof values) => (e: { target: { value: string } }) => setValues({ ...values, [name]: e.target.value });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    submit.mutate();
  };
  const query = next === "/" ? "" : `?next=${encodeURIComponent(next)}`;
  return (
    <FormCard formRef={form} onSubmit={onSubmit} error={submit.error}>
      {kind === "signup" && (
        <Field label="Name" name="name" autoComplete="name" required value={values.name} onChange={set("name")} error={errors.name} />
      )}
      <Field
        label="Email"
        name="email"
        type="email"
        autoComplete="email"
        required
        value={values.email}
        onChange={set("email")}
        error={errors.email}
      />
      <Field
        label="Password"
        name="password"
        type="password"
        autoComplete={kind === "login" ? "current-password" : "new-password"}
        required
        value={values.password}
        onChange={set("password")}
        error={errors.password}
        hint={kind === "signup" ? "At least 10 characters, mixing letters with digits or symbols." : undefined}
      />
      <button type="submit" disabled={submit.isPending}>
        {submit.isPending ? "Please wait…" : kind === "login" ? "Log in" : "Create account"}
      </button>
      <p>
        {kind === "login" ? (
          <>
            New here? <Link to={`/signup${query}`}>Create an account</Link> · <Link to="/forgot-password">Forgot your password?</Link>
          </>
        ) : (
          <>
            Have an account? <Link to={`/login${query}`}>Log in</Link>
          </>
        )}
      </p>
    </FormCard>
  );
}

export const LogIn = () => (
  <Page title="Log in">
    <AuthForm kind="login" />
  </Page>
);

export const SignUp = () => (
  <Page title="Create an account">
    <AuthForm kind="signup" />
  </Page>
);
