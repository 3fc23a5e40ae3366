// The account's forms: change the password, download my data, delete my account.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRef, useState, type FormEvent } from "react";
import { client, errorMessage, fieldErrors, signedOut, trpc } from "../../api";
import { navigate } from "../../router";
import { Alert, Field, useFocusFirstInvalid } from "../../ui";

export function ChangePassword() {
  const queryClient = useQueryClient();
  const form = useRef<HTMLFormElement>(null);
  const [values, setValues] = useState({ currentPassword: "", newPassword: "" });
  const change = useMutation(
    trpc.auth.changePassword.mutationOptions({
      onSuccess: () => {
        setValues({ currentPassword: "", newPassword: "" });
        // Every other session was revoked.
        void queryClient.invalidateQueries({ queryKey: trpc.auth.sessions.list.queryKey() });
      },
    }),
  );
  const errors = fieldErrors(change.error);
  useFocusFirstInvalid(form, change.error);
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    change.mutate(values);
  };
  return (
    <form ref={form} className="card stack" onSubmit={onSubmit} noValidate aria-labelledby="password-title">
      <h2 id="password-title">Change password</h2>
      {change.isError && !Object.keys(errors).length && <Alert>{errorMessage(change.error)}</Alert>}
      {change.isSuccess && <Alert kind="success">Password changed. Your other devices are signed out.</Alert>}
      <Field
        label="Current password"
        name="currentPassword"
        type="password"
        autoComplete="current-password"
        required
        value={values.currentPassword}
        onChange={(e) => setValues({ ...values, currentPassword: e.target.value })}
        error={errors.currentPassword}
      />
      <Field
        label="New password"
        name="newPassword"
        type="password"
        autoComplete="new-password"
        required
        value={values.newPassword}
        onChange={(e) => setValues({ ...values, newPassword: e.target.value })}
        error={errors.newPassword}
        hint="At least 10 characters, mixing letters with digits or symbols."
      />
      <p>
        <button type="submit" disabled={change.isPending}>
          {change.isPending ? "Please wait…" : "Change password"}
        </button>
      </p>
    </form>
  );
}

/** Everything the shop holds about the customer, saved as a JSON file. */
export function ExportData() {
  const download = useMutation({
    mutationFn: async () => {
      const data = await client.auth.exportData.query();
      const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: "application/json" }));
      const link = document.createElement("a");
      link.href = url;
      link.download = "storefront-my-data.json";
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    },
  });
  return (
    <section className="card stack" aria-labelledby="export-title">
      <h2 id="export-title">Your data</h2>
      <p>Download everything we hold about you: your profile, orders, reviews, cart and signed-in devices, as a JSON file.</p>
      {download.isError && <Alert>{errorMessage(download.error)}</Alert>}
      <p>
        <button type="button" className="secondary" disabled={download.isPending} onClick={() => download.mutate()}>
          {download.isPending ? "Preparing…" : "Download my data"}
        </button>
      </p>
    </section>
  );
}

export function DeleteAccount() {
  const form = useRef<HTMLFormElement>(null);
  const [password, setPassword] = useState("");
  const [sure, setSure] = useState(false);
  const remove = useMutation({
    mutationFn: () => client.auth.deleteAccount.mutate({ password }),
    onSuccess: () => {
      signedOut();
      navigate("/", { replace: true });
    },
  });
  const errors = fieldErrors(remove.error);
  useFocusFirstInvalid(form, remove.error);
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (sure) remove.mutate();
  };
  return (
    <form ref={form} className="card stack" onSubmit={onSubmit} noValidate aria-labelledby="delete-title">
      <h2 id="delete-title">Delete my account</h2>
      <p>
        Your name, email address, saved cart and signed-in devices are erased, and your reviews show as by a deleted customer. Orders are
        kept with only what the shop must keep for its books. This cannot be undone.
      </p>
      {remove.isError && !Object.keys(errors).length && <Alert>{errorMessage(remove.error)}</Alert>}
      <Field
        label="Password"
        name="password"
        type="password"
        autoComplete="current-password"
        required
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        error={errors.password}
        hint="Enter your password to confirm it is you."
      />
      <div className="field">
        <label className="checkbox">
          <input type="checkbox" checked={sure} onChange={(e) => setSure(e.target.checked)} />I understand my account is deleted for good
        </label>
      </div>
      <p>
        <button type="submit" className="danger" disabled={!sure || remove.isPending}>
          {remove.isPending ? "Deleting…" : "Delete my account"}
        </button>
      </p>
    </form>
  );
}
