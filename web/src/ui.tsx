// Small shared pieces: page frame, form fields with their error text, loading and error states.
import {
  useEffect,
  useId,
  useRef,
  type FormEvent,
  type InputHTMLAttributes,
  type Ref,
  type RefObject,
  type ReactNode,
  type SelectHTMLAttributes,
} from "react";
import { errorMessage, useSession } from "./api";
import { Link, useLocation } from "./router";

/** A page: sets the document title and moves focus to the heading after a navigation. */
export function Page({ title, children, actions }: { title: string; children: ReactNode; actions?: ReactNode }) {
  const heading = useRef<HTMLHeadingElement>(null);
  const { href } = useLocation();
  useEffect(() => {
    document.title = `${title} · Storefront`;
  }, [title]);
  useEffect(() => {
    heading.current?.focus({ preventScroll: true });
    window.scrollTo(0, 0);
  }, [href]);
  return (
    <>
      <div className="page-head">
        <h1 tabIndex={-1} ref={heading}>
          {title}
        </h1>
        {actions}
      </div>
      {children}
    </>
  );
}

type FieldProps = {
  label: string;
  name: string;
  error?: string;
  hint?: string;
  ref?: Ref<HTMLInputElement>;
} & InputHTMLAttributes<HTMLInputElement>;

/** A labelled input with its hint and the API's error for it right below, wired for screen readers. */
export function Field({ label, name, error, hint, ...input }: FieldProps) {
  const id = useId();
  const described = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(" ") || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} name={name} aria-invalid={error ? true : undefined} aria-describedby={described} {...input} />
      {hint && (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}

type SelectProps = { label: string; name: string; error?: string; children: ReactNode } & SelectHTMLAttributes<HTMLSelectElement>;

export function Select({ label, name, error, children, ...select }: SelectProps) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} name={name} aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-error` : undefined} {...select}>
        {children}
      </select>
      {error && (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}

/** After a failed submit, moves focus to the first field the API flagged, so its error is read out. */
export function useFocusFirstInvalid(form: RefObject<HTMLFormElement | null>, error: unknown) {
  useEffect(() => {
    if (error) form.current?.querySelector<HTMLElement>("[aria-invalid=true]")?.focus();
  }, [form, error]);
}

export function Alert({ children, kind = "error" }: { children: ReactNode; kind?: "error" | "success" | "info" }) {
  return (
    <div className={`alert alert-${kind}`} role={kind === "error" ? "alert" : "status"}>
      {children}
    </div>
  );
}

/**
 * A form in a card with its error above the fields: the API's message (for an `error` that is
 * set), tied to the form by aria-describedby so a screen reader hears why the submit failed.
 */
export function FormCard({
  formRef,
  onSubmit,
  error,
  children,
}: {
  formRef: Ref<HTMLFormElement>;
  onSubmit: (event: FormEvent) => void;
  error: unknown;
  children: ReactNode;
}) {
  return (
    <form ref={formRef} className="card stack narrow" onSubmit={onSubmit} noValidate aria-describedby={error ? "form-error" : undefined}>
      {error ? (
        <div id="form-error">
          <Alert>{errorMessage(error)}</Alert>
        </div>
      ) : null}
      {children}
    </form>
  );
}

export const Loading = ({ what = "Loading" }: { what?: string }) => (
  <p className="loading" role="status">
    {what}…
  </p>
);

export function ErrorState({ error, retry }: { error: unknown; retry?: () => void }) {
  return (
    <Alert>
      <p>{errorMessage(error)}</p>
      {retry && (
        <button type="button" className="secondary" onClick={retry}>
          Try again
        </button>
      )}
    </Alert>
  );
}

/** Renders its children only for a signed-in user; others get a way to sign in. */
export function SignedIn({ children }: { children: ReactNode }) {
  const session = useSession();
  const { href } = useLocation();
  if (session.status === "restoring") return <Loading what="Restoring your session" />;
  if (!session.user) {
    const next = encodeURIComponent(href);
    return (
      <p className="empty">
        <Link to={`/login?next=${next}`}>Log in</Link> or <Link to={`/signup?next=${next}`}>create an account</Link> to continue.
      </p>
    );
  }
  return children;
}
