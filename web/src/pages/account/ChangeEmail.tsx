// Changing the account's e-mail address: a form the account settings page embeds, and a page of
// its own. Nothing changes until the link mailed to the new address is opened.
import { useMutation } from "@tanstack/react-query";
import { useRef, useState, type FormEvent } from "react";
import { client, errorMessage, fieldErrors } from "../../api";
import { Alert, Field, Page, SignedIn, useFocusFirstInvalid } from "../../ui";

export function ChangeEmailForm() {
  const form = useRef<HTMLFormElement>(null);
  const [values, setValues] = useState({ newEmail: "", password: "" });
  const change = useMutation({ mutationFn: () => client.auth.changeEmail.mutate(values) });
  const errors = fieldErrors(change.error);
  useFocusFirstInvalid(form, change.error);
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    change.mutate();
  };
  if (change.isSuccess) {
    return <Alert kind="success">We sent a link to {values.newEmail}. Your address changes when you open it (within 24 hours).</Alert>;
  }
  return (
    <form ref={form} className="card stack narrow" onSubmit={onSubmit} noValidate aria-label="Change e-mail address">
      {change.isError && <Alert>{errorMessage(change.error)}</Alert>}
      <Field
        label="New e-mail address"
        name="newEmail"
        type="email"
        autoComplete="email"
        required
        value={values.newEmail}
        onChange={(e) => setValues({ ...values, newEmail: e.target.value })}
        error={errors.newEmail}
      />
      <Field
        label="Current password"
        name="password"
        type="password"
        autoComplete="current-password"
        required
        value={values.password}
        onChange={(e) => setValues({ ...values, password: e.target.value })}
        error={errors.password}
      />
      <button type="submit" disabled={change.isPending}>
        {change.isPending ? "Please wait…" : "Send a confirmation link"}
      </button>
    </form>
  );
}

export const ChangeEmail = () => (
  <Page title="Change your e-mail address">
    <SignedIn>
      <ChangeEmailForm />
    </SignedIn>
  </Page>
);
