# The start of every document's shell in `npm run test:docs` (scripts/doc-test.ts): strict mode,
# and a curl that keeps its output as the reader sees it but fails the run on an HTTP status the
# document does not announce. curl appends the status as a last line, which is cut off again.
# DOC_AT is the document and line being run, DOC_EXPECT the status its trailing comment announces.
set -euo pipefail
DOC_EXPECT=
DOC_AT=
curl() {
  local out status
  out=$(command curl --silent --show-error --write-out '\n%{http_code}' "$@") || { echo "doc-test: $DOC_AT: curl failed" >&2; return 1; }
  status=${out##*$'\n'}
  out=${out%$'\n'*}
  printf '%s\n' "$out"
  if [[ "$status" -ge 500 ]]; then
    echo "doc-test: $DOC_AT: HTTP $status: a 5xx is never what a document shows" >&2; return 22
  fi
  if [[ -n "$DOC_EXPECT" && "$status" != "$DOC_EXPECT" ]]; then
    echo "doc-test: $DOC_AT: HTTP $status, the document says $DOC_EXPECT" >&2; return 22
  fi
  if [[ -z "$DOC_EXPECT" && "$status" -ge 400 ]]; then
    echo "doc-test: $DOC_AT: HTTP $status" >&2; return 22
  fi
}
