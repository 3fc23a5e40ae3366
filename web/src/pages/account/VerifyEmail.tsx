// The page a verification link opens (sign-up, or a change of address). It confirms on a click,
// not on load: a link opened twice, or by a mail scanner, must not use the token up unseen.
import { useMutation } from "@tanstack/react-query";
import { client, errorMessage, queryClient } from "../../api";
import { Link } from "../../router";
import { Alert, Page } from "../../ui";
import { useLinkToken } from "./link-token";

export function VerifyEmail() {
  const token = useLinkToken();
  const verify = useMutation({
    mutationFn: () => client.auth.verifyEmail.mutate({ token }),
    onSuccess: () => queryClient.invalidateQueries(),
  });
  return (
    <Page title="Confirm your e-mail address">
      <div className="card stack narrow">
        {verify.isSuccess ? (
          <>
            <Alert kind="success">{verify.data.email} is confirmed as your account's address.</Alert>
            <p>
              <Link to="/">Back to the shop</Link>
            </p>
          </>
        ) : !token ? (
          <Alert>This link is incomplete; open it from the mail again.</Alert>
        ) : (
          <>
            {verify.isError && <Alert>{errorMessage(verify.error)}</Alert>}
            <p>Confirm that this address is yours to finish.</p>
            <button type="button" onClick={() => verify.mutate()} disabled={verify.isPending}>
              {verify.isPending ? "Please wait…" : "Confirm my address"}
            </button>
          </>
        )}
      </div>
    </Page>
  );
}
