// Every request gets an id, in logs and in the response; a caller's own id is kept if it is sane
// (Hono's requestId: word characters, '-' and '=' only, here at most 64 of them).
import { requestId as honoRequestId } from "hono/request-id";

export const requestId = honoRequestId({ limitLength: 64 });
