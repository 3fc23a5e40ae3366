// The account settings page: profile, password, signed-in devices, data export and deletion.
import type { ReactNode } from "react";
import { useSession } from "../../api";
import { date } from "../../format";
import { Page, SignedIn } from "../../ui";
import { ChangePassword, DeleteAccount, ExportData } from "./AccountForms";
import { Sessions } from "./Sessions";

function Profile({ changeEmail }: { changeEmail?: ReactNode }) {
  const { user } = useSession();
  if (!user) return null;
  return (
    <section className="card stack" aria-labelledby="profile-title">
      <h2 id="profile-title">Profile</h2>
      <dl>
        <dt>Name</dt>
        <dd>{user.name}</dd>
        <dt>Email</dt>
        <dd data-testid="account-email">{user.email}</dd>
        <dt>Member since</dt>
        <dd>{date(user.createdAt)}</dd>
      </dl>
      {/* Change e-mail: the form is passed in as `changeEmail` (it verifies the new address first). */}
      {changeEmail}
    </section>
  );
}

/** `changeEmail`: the change-of-address form, shown under the profile. */
export function AccountSettings({ changeEmail }: { changeEmail?: ReactNode }) {
  return (
    <Page title="Your account">
      <SignedIn>
        <div className="stack">
          <Profile changeEmail={changeEmail} />
          <ChangePassword />
          <Sessions />
          <ExportData />
          <DeleteAccount />
        </div>
      </SignedIn>
    </Page>
  );
}
