// The token an account mail's link carries in its fragment (`#token=…`): read once, then taken
// out of the address bar and history, with no Referer sent from the page while it is open.
import { useEffect, useState } from "react";

export function useLinkToken(): string {
  const [token] = useState(() => new URLSearchParams(location.hash.slice(1)).get("token") ?? "");
  useEffect(() => {
    if (location.hash) history.replaceState(history.state, "", location.pathname + location.search);
    const meta = document.createElement("meta");
    meta.name = "referrer";
    meta.content = "no-referrer";
    document.head.append(meta);
    return () => meta.remove();
  }, []);
  return token;
}
