// The widget contract between the page runtime (apps/console/src/runtime) and the widget library
// (apps/console/src/widgets). Metas are plain data (no React) so the server can validate pages.

export type WidgetCategory = 'layout' | 'data' | 'chart' | 'form' | 'display' | 'action' | 'advanced';

export interface WidgetMeta {
  /** unique type name used in NodeDef.type, PascalCase: "Table", "LineChart". */
  type: string;
  name: string;
  nameZh?: string;
  category: WidgetCategory;
  description: string;
  /** JSON Schema (draft-07, type object) of the widget's `props`. */
  propsSchema: Record<string, unknown>;
  /** default props for a new node (must validate against propsSchema). */
  defaults: Record<string, unknown>;
  /** sample data for previews and tests (what the node's data source would return). */
  mockData?: unknown;
  /** events the widget emits, bound to actions in the page (e.g. "rowClick", "submit", "change"). */
  events?: string[];
  /** true when the widget renders child nodes (tabs, cards, grids). */
  container?: boolean;
  /** schema version of props; bump with a migration when props change shape. */
  version?: number;
}

export interface UploadOptions {
  /** POST unless given. */
  method?: string;
  /** content-type of a Blob or string body; FormData sets its own multipart boundary. */
  contentType?: string;
  /** bytes sent so far, of total (total is 0 when the browser cannot tell). */
  onProgress?(loaded: number, total: number): void;
  signal?: AbortSignal;
}

/** Props passed by the runtime to every widget React component. */
export interface WidgetRenderProps<P = Record<string, unknown>> {
  /** resolved props ($tpl/$expr/$fn already evaluated). */
  props: P;
  /** the node's data source result (undefined when it has none). */
  data: unknown;
  loading: boolean;
  error?: string;
  /** fire an event; the runtime runs the actions bound to it. */
  emit(event: string, payload?: unknown): void;
  /** publish a node output (selected row, form values, filter values) for other nodes' templates. */
  setOutput(value: unknown): void;
  /** platform API client (same origin, session cookie, CSRF header added). */
  api: {
    request<T = unknown>(method: string, url: string, body?: unknown): Promise<T>;
    /** send a prepared body (a file, FormData, JSON text) with upload progress; same rules as request. */
    upload?<T = unknown>(url: string, body: Blob | FormData | string, opts?: UploadOptions): Promise<T>;
  };
  /** rendered children for container widgets, by slot (e.g. tab key) or 'default'. */
  slots?: Record<string, unknown>;
  /** ask the runtime to refresh this node's data source (server paging, sorting, filters). */
  setQuery?(params: Record<string, unknown>): void;
}
