// The page a reset link opens: choose a new password. Every session of the account ends, so the
// next step is logging in with it.
import { useMutation } from "@tanstack/react-query";
import { useRef, useState, type FormEvent } from "react";
import { client, errorMessage, errorReason, fieldErrors } from "../../api";
import { Link } from "../../router";
import { Alert, Field, FormCard, Page, useFocusFirstInvalid } from "../../ui";
import { useLinkToken } from "./link-token";

export function ResetPassword() {
  const token = useLinkToken();
  const form = useRef<HTMLFormElement>(null);
  const [newPassword, setNewPassword] = useState("");
  const reset = useMutation({ mutationFn: () => client.auth.resetPassword.mutate({ token, newPassword }) });
  const errors = fieldErrors(reset.error);
  useFocusFirstInvalid(form, reset.error);
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    reset.mutate();
  };
  const badLink = !token || ["token_invalid", "token_expired"].includes(errorReason(reset.error) ?? "");
  return (
    <Page title="Choose a new password">
      {reset.isSuccess ? (
        <div className="card stack narrow">
          <Alert kind="success">Your password was changed, and every session was signed out.</Alert>
          <p>
            <Link to="/login">Log in with your new password</Link>
          </p>
        </div>
      ) : badLink ? (
        <div className="card stack narrow">
          <Alert>{token ? errorMessage(reset.error) : "This link is incomplete; open it from the mail again."}</Alert>
          <p>
            <Link to="/forgot-password">Ask for a new link</Link>
          </p>
        </div>
      ) : (
        <FormCard formRef={form} onSubmit={onSubmit} error={reset.error}>
          <Field
            label="New password"
            name="newPassword"
            type="password"
            autoComplete="new-password"
            required
            value={newPassword}
            onChange={(e) => setNewPassword(e.target.value)}
            error={errors.newPassword}
            hint="At least 10 characters, mixing letters with digits or symbols."
          />
          <button type="submit" disabled={reset.isPending}>
            {reset.isPending ? "Please wait…" : "Set the new password"}
          </button>
        </FormCard>
      )}
    </Page>
  );
}
