// "Forgot password": asks for a reset link. The answer is the same whether or not the address
// has an account, and so is what the page says.
import { useMutation } from "@tanstack/react-query";
import { useRef, useState, type FormEvent } from "react";
import { client, fieldErrors } from "../../api";
import { Link } from "../../router";
import { Alert, Field, FormCard, Page, useFocusFirstInvalid } from "../../ui";

export function ForgotPassword() {
  const form = useRef<HTMLFormElement>(null);
  const [email, setEmail] = useState("");
  const request = useMutation({ mutationFn: () => client.auth.requestPasswordReset.mutate({ email }) });
  const errors = fieldErrors(request.error);
  useFocusFirstInvalid(form, request.error);
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    request.mutate();
  };
  return (
    <Page title="Forgot your password?">
      {request.isSuccess ? (
        <div className="card stack narrow">
          <Alert kind="success">If an account uses {email}, a link to choose a new password is on its way. It works for 30 minutes.</Alert>
          <p>
            <Link to="/login">Back to log in</Link>
          </p>
        </div>
      ) : (
        <FormCard formRef={form} onSubmit={onSubmit} error={request.error}>
          <p>Enter your account's e-mail address and we will send you a link to choose a new password.</p>
          <Field
            label="Email"
            name="email"
            type="email"
            autoComplete="email"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            error={errors.email}
          />
          <button type="submit" disabled={request.isPending}>
            {request.isPending ? "Please wait…" : "Send the link"}
          </button>
        </FormCard>
      )}
    </Page>
  );
}
