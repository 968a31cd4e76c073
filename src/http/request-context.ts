import { AsyncLocalStorage } from "node:async_hooks";

/** What every log line written while serving a request carries: its id (also sent back as `x-request-id`). */
export interface RequestContext {
  requestId: string;
}

export const requestContext = new AsyncLocalStorage<RequestContext>();

/** The id of the request being served, if any: work started by a request keeps it, even after the reply. */
export function currentRequestId(): string | undefined {
  return requestContext.getStore()?.requestId;
}
