// The page schema: what a page definition is, written once in zod 4 so the server validates it,
// the console type-checks against it and the designer can read its JSON Schema.
// A plain JSON value is static; the four marker objects below mark dynamic values.
import { z } from 'zod';

/** Bumped with a migration whenever a stored PageDef changes shape. */
export const PAGE_SCHEMA_VERSION = 1 as const;

const ident = z.string().regex(/^[A-Za-z_][\w-]*$/, 'letters, digits, "_" or "-", starting with a letter or "_"');
const slug = z.string().regex(/^[a-z0-9][a-z0-9_-]*(\/[a-z0-9][a-z0-9_-]*)*$/, 'lower-case path segments of a-z, 0-9, "_" or "-" separated by "/"');

/** `"Hello $(user.name)"`: `$(path)` placeholders resolved against the page scope. */
export const TplValue = z.strictObject({ $tpl: z.string() }).describe('template string with $(path) placeholders');
/** A JavaScript expression evaluated in the sandbox against the page scope. */
export const ExprValue = z.strictObject({ $expr: z.string().min(1) }).describe('sandboxed JavaScript expression');
/** The body of a function (or a whole `function name(a, b) {…}`) run in the sandbox. */
export const FnValue = z.strictObject({ $fn: z.string().min(1), async: z.boolean().optional() }).describe('sandboxed JavaScript function');
/** A JSX template compiled to element descriptions in the sandbox, rendered from an allow-list. */
export const JsxValue = z.strictObject({ $jsx: z.string() }).describe('JSX template rendered from allow-listed components');

export type TplValue = z.infer<typeof TplValue>;
export type ExprValue = z.infer<typeof ExprValue>;
export type FnValue = z.infer<typeof FnValue>;
export type JsxValue = z.infer<typeof JsxValue>;
export type DynamicValue = TplValue | ExprValue | FnValue | JsxValue;

/** A string may carry `$(var)` placeholders directly; the object form is explicit. */
const TemplatedString = z.union([z.string(), TplValue]);

const HttpMethod = z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);

const dsCommon = {
  /** page params that must be present before loading; a change of one reloads. */
  dependsOn: z.array(z.string()).optional(),
  /** reload every N ms (>= 1000). */
  refreshMs: z.number().int().min(1000).optional(),
  /** give up after N ms (request and functions together). */
  timeoutMs: z.number().int().min(1).max(120_000).optional(),
  /** reshapes the result: `(data, params, ctx) => newData`. */
  afterResponse: FnValue.optional(),
  /** merge the (object) result into the page params, as SREWorks page-level data does. */
  toParams: z.boolean().optional(),
};

export const ApiDataSource = z.strictObject({
  kind: z.literal('api'),
  method: HttpMethod.default('GET'),
  /** platform API path, e.g. "/api/users?limit=$(limit)"; other origins are refused. */
  url: TemplatedString,
  params: z.record(z.string(), z.unknown()).optional(),
  body: z.unknown().optional(),
  /** `(params) => extraQueryParams`, run before the request. */
  beforeRequest: FnValue.optional(),
  ...dsCommon,
});

export const JsonDataSource = z.strictObject({
  kind: z.literal('json'),
  json: z.unknown(),
  ...dsCommon,
});

export const FunctionDataSource = z.strictObject({
  kind: z.literal('function'),
  /** `(params, ctx) => data`; ctx.http reaches the platform API only. */
  fn: FnValue,
  ...dsCommon,
});

export const DataSourceDef = z.discriminatedUnion('kind', [ApiDataSource, JsonDataSource, FunctionDataSource]);
export type DataSourceDef = z.infer<typeof DataSourceDef>;
export type DataSourceInput = z.input<typeof DataSourceDef>;

// ---------------------------------------------------------------------------------------- forms

export const FieldDef = z.strictObject({
  name: z.string().min(1),
  label: z.string().optional(),
  labelZh: z.string().optional(),
  kind: z.enum(['text', 'textarea', 'password', 'number', 'select', 'multiselect', 'switch', 'date', 'json', 'yaml', 'hidden']).default('text'),
  required: z.boolean().optional(),
  placeholder: z.string().optional(),
  help: z.string().optional(),
  defaultValue: z.unknown().optional(),
  /** static options or a data source producing `[{value, label}]`. */
  options: z.array(z.strictObject({ value: z.unknown(), label: z.string() })).optional(),
  optionsFrom: z.union([z.string(), DataSourceDef]).optional(),
  /** a regular expression the value must match (text kinds). */
  pattern: z.string().optional(),
  min: z.number().optional(),
  max: z.number().optional(),
  /** shown only while this expression over `{...params, values}` is true. */
  visibleWhen: ExprValue.optional(),
});
export type FieldDef = z.infer<typeof FieldDef>;

// -------------------------------------------------------------------------------------- actions

const actionCommon = {
  /** skip this action unless the expression (scope: params, event, row) is true. */
  when: ExprValue.optional(),
};

// Actions nest (`then`, `confirm.then`), so they are declared through getters (zod 4 recursion).
export interface OpenFormAction {
  kind: 'openForm';
  display?: 'drawer' | 'modal';
  title: string;
  titleZh?: string;
  width?: number;
  fields: FieldDef[];
  /** initial values; templates see the event payload as `event`/`row`. */
  initialValues?: Record<string, unknown>;
  /** `(values, params) => values | {error}` before submitting. */
  beforeSubmit?: FnValue;
  submit: { method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'; url: string | TplValue; body?: unknown };
  submitLabel?: string;
  successMessage?: string;
  then?: ActionDef[];
  when?: ExprValue;
}
export interface CallApiAction {
  kind: 'callApi';
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string | TplValue;
  body?: unknown;
  successMessage?: string;
  /** write the response into this page param. */
  resultParam?: string;
  then?: ActionDef[];
  when?: ExprValue;
}
export interface ConfirmAction {
  kind: 'confirm';
  title: string;
  content?: string | TplValue;
  danger?: boolean;
  then: ActionDef[];
  when?: ExprValue;
}
export interface RefreshAction {
  kind: 'refresh';
  /** node ids or page data source names; all when omitted. */
  targets?: string[];
  when?: ExprValue;
}
export interface NavigateAction {
  kind: 'navigate';
  /** "/apps/system/users", "team-detail" (a page of the same app) or an absolute route; templated. */
  to: string | TplValue;
  params?: Record<string, unknown>;
  newTab?: boolean;
  when?: ExprValue;
}
export interface DownloadAction {
  kind: 'download';
  /** platform API path to fetch, or inline `content` (a value/template/expression). */
  url?: string | TplValue;
  content?: unknown;
  filename: string | TplValue;
  format?: 'json' | 'csv' | 'text';
  when?: ExprValue;
}
export interface SetParamsAction {
  kind: 'setParams';
  params: Record<string, unknown>;
  when?: ExprValue;
}
export interface MessageAction {
  kind: 'message';
  level?: 'success' | 'info' | 'warning' | 'error';
  text: string | TplValue;
  when?: ExprValue;
}
export type ActionDef = OpenFormAction | CallApiAction | ConfirmAction | RefreshAction | NavigateAction | DownloadAction | SetParamsAction | MessageAction;

const ApiCall = z.strictObject({ method: HttpMethod.optional(), url: TemplatedString, body: z.unknown().optional() });

export const OpenFormActionSchema = z.strictObject({
  kind: z.literal('openForm'),
  display: z.enum(['drawer', 'modal']).optional(),
  title: z.string(),
  titleZh: z.string().optional(),
  width: z.number().int().positive().optional(),
  fields: z.array(FieldDef).min(1),
  initialValues: z.record(z.string(), z.unknown()).optional(),
  beforeSubmit: FnValue.optional(),
  submit: ApiCall,
  submitLabel: z.string().optional(),
  successMessage: z.string().optional(),
  get then() {
    return z.array(ActionDefSchema).optional();
  },
  ...actionCommon,
});
export const CallApiActionSchema = z.strictObject({
  kind: z.literal('callApi'),
  method: HttpMethod.optional(),
  url: TemplatedString,
  body: z.unknown().optional(),
  successMessage: z.string().optional(),
  resultParam: z.string().optional(),
  get then() {
    return z.array(ActionDefSchema).optional();
  },
  ...actionCommon,
});
export const ConfirmActionSchema = z.strictObject({
  kind: z.literal('confirm'),
  title: z.string(),
  content: TemplatedString.optional(),
  danger: z.boolean().optional(),
  get then() {
    return z.array(ActionDefSchema);
  },
  ...actionCommon,
});
export const RefreshActionSchema = z.strictObject({ kind: z.literal('refresh'), targets: z.array(z.string()).optional(), ...actionCommon });
export const NavigateActionSchema = z.strictObject({
  kind: z.literal('navigate'),
  to: TemplatedString,
  params: z.record(z.string(), z.unknown()).optional(),
  newTab: z.boolean().optional(),
  ...actionCommon,
});
export const DownloadActionSchema = z.strictObject({
  kind: z.literal('download'),
  url: TemplatedString.optional(),
  content: z.unknown().optional(),
  filename: TemplatedString,
  format: z.enum(['json', 'csv', 'text']).optional(),
  ...actionCommon,
});
export const SetParamsActionSchema = z.strictObject({ kind: z.literal('setParams'), params: z.record(z.string(), z.unknown()), ...actionCommon });
export const MessageActionSchema = z.strictObject({
  kind: z.literal('message'),
  level: z.enum(['success', 'info', 'warning', 'error']).optional(),
  text: TemplatedString,
  ...actionCommon,
});

export const ActionDefSchema: z.ZodType<ActionDef> = z.discriminatedUnion('kind', [
  OpenFormActionSchema,
  CallApiActionSchema,
  ConfirmActionSchema,
  RefreshActionSchema,
  NavigateActionSchema,
  DownloadActionSchema,
  SetParamsActionSchema,
  MessageActionSchema,
]) as unknown as z.ZodType<ActionDef>;

// ---------------------------------------------------------------------------------------- nodes

export interface OutputDef {
  /** page param written. */
  param: string;
  /** dotted path inside the value the widget published; the whole value when omitted. */
  path?: string;
}

export interface NodeDef {
  id: string;
  /** widget type from the catalogue (WidgetMeta.type), e.g. "Table". */
  type: string;
  title?: string;
  titleZh?: string;
  props?: Record<string, unknown>;
  /** name of a page data source, or an inline one. */
  dataSource?: string | DataSourceDef;
  /** render only while true (scope: page params). */
  visibleWhen?: ExprValue;
  /** render only when these page params are present. */
  dependsOn?: string[];
  /** event name → actions run in order. */
  actions?: Record<string, ActionDef[]>;
  /** values the widget publishes (setOutput) written into page params. */
  outputs?: OutputDef[];
  /** children of container widgets, by slot ('default', tab keys…). */
  slots?: Record<string, NodeDef[]>;
  wrapper?: 'card' | 'none';
  /** buttons in the node's card header; a click fires the event `toolbar.<key>`. */
  toolbar?: ToolbarItem[];
  /** grid layout position (12 columns). */
  grid?: { x: number; y: number; w: number; h: number };
}

export interface ToolbarItem {
  key: string;
  label: string;
  labelZh?: string;
  icon?: string;
  type?: 'primary' | 'default' | 'link';
  danger?: boolean;
  visibleWhen?: ExprValue;
}
export const ToolbarItemSchema = z.strictObject({
  key: ident,
  label: z.string(),
  labelZh: z.string().optional(),
  icon: z.string().optional(),
  type: z.enum(['primary', 'default', 'link']).optional(),
  danger: z.boolean().optional(),
  visibleWhen: ExprValue.optional(),
});

export const OutputDefSchema = z.strictObject({ param: z.string().min(1), path: z.string().optional() });

export const NodeDefSchema: z.ZodType<NodeDef> = z.strictObject({
  id: ident,
  type: z.string().min(1),
  title: z.string().optional(),
  titleZh: z.string().optional(),
  props: z.record(z.string(), z.unknown()).optional(),
  dataSource: z.union([z.string(), DataSourceDef]).optional(),
  visibleWhen: ExprValue.optional(),
  dependsOn: z.array(z.string()).optional(),
  actions: z.record(z.string(), z.array(ActionDefSchema)).optional(),
  outputs: z.array(OutputDefSchema).optional(),
  get slots() {
    return z.record(z.string(), z.array(NodeDefSchema)).optional();
  },
  wrapper: z.enum(['card', 'none']).optional(),
  toolbar: z.array(ToolbarItemSchema).optional(),
  grid: z.strictObject({ x: z.number().int().min(0).max(11), y: z.number().int().min(0), w: z.number().int().min(1).max(12), h: z.number().int().min(1) }).optional(),
}) as unknown as z.ZodType<NodeDef>;

// --------------------------------------------------------------------------------------- layout

export const FluidCol = z.strictObject({
  /** of 24 columns. */
  span: z.number().int().min(1).max(24).default(24),
  nodes: z.array(NodeDefSchema),
});
export const FluidRow = z.strictObject({ id: z.string().optional(), cols: z.array(FluidCol).min(1) });
export const FluidLayout = z.strictObject({ kind: z.literal('fluid'), rows: z.array(FluidRow) });
export const GridLayout = z.strictObject({
  kind: z.literal('grid'),
  cols: z.literal(12).default(12),
  rowHeight: z.number().int().min(4).max(200).default(12),
  margin: z.tuple([z.number().int().min(0), z.number().int().min(0)]).default([8, 8]),
  /** every node carries `grid`. */
  nodes: z.array(NodeDefSchema),
});
export const LayoutDef = z.discriminatedUnion('kind', [FluidLayout, GridLayout]);
export type LayoutDef = z.infer<typeof LayoutDef>;

export const ParamDef = z.strictObject({
  type: z.enum(['string', 'number', 'boolean', 'json']).default('string'),
  /** url: read from and written to the query string; state: page memory only. */
  from: z.enum(['url', 'state']).default('url'),
  default: z.unknown().optional(),
  required: z.boolean().optional(),
  description: z.string().optional(),
});
export type ParamDef = z.infer<typeof ParamDef>;

export const PageDef = z.strictObject({
  schemaVersion: z.literal(PAGE_SCHEMA_VERSION),
  /** unique within the app; also the route below the app: "users", "teams/detail". */
  id: slug,
  app: ident,
  title: z.string().min(1),
  titleZh: z.string().optional(),
  description: z.string().optional(),
  params: z.record(ident, ParamDef).default({}),
  dataSources: z.record(ident, DataSourceDef).default({}),
  /** page-level helpers callable from other functions as `fns.name(...)`. */
  functions: z.record(ident, FnValue).optional(),
  layout: LayoutDef,
  /** where an imported page came from (SREWorks nodeTypePath and tab id). */
  origin: z.strictObject({ kind: z.literal('sreworks'), nodeTypePath: z.string(), tabId: z.string().optional() }).optional(),
});
export type PageDef = z.infer<typeof PageDef>;
export type PageInput = z.input<typeof PageDef>;

// ------------------------------------------------------------------------------------- ops apps

export interface MenuItem {
  key: string;
  label: string;
  labelZh?: string;
  icon?: string;
  /** page id in this app; a pure group when omitted. */
  page?: string;
  hidden?: boolean;
  children?: MenuItem[];
}
export const MenuItemSchema: z.ZodType<MenuItem> = z.strictObject({
  key: ident,
  label: z.string().min(1),
  labelZh: z.string().optional(),
  icon: z.string().optional(),
  page: slug.optional(),
  hidden: z.boolean().optional(),
  get children() {
    return z.array(MenuItemSchema).optional();
  },
}) as unknown as z.ZodType<MenuItem>;

export const AppManifest = z.strictObject({
  id: ident,
  name: z.string().min(1),
  nameZh: z.string().optional(),
  icon: z.string().optional(),
  description: z.string().optional(),
  descriptionZh: z.string().optional(),
  order: z.number().int().optional(),
  /** page opened when the app is entered. */
  home: slug.optional(),
  /** owning team: editing and publishing its pages needs page.write / page.deploy in it. */
  team: z.string().min(1).max(64).optional(),
  menu: z.array(MenuItemSchema).default([]),
});
export type AppManifest = z.infer<typeof AppManifest>;

/** JSON Schemas of the page and app manifest, for the designer and for editors. */
export function pageJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(PageDef, { target: 'draft-7', io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}
export function appManifestJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(AppManifest, { target: 'draft-7', io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}

/**
 * Node types the runtime renders itself (not widgets): `Unsupported`, the labelled placeholder of
 * unmapped imports, and `Jsx`, a sandboxed JSX template (`props.template`) over the node's data.
 */
export const RUNTIME_NODE_TYPES = ['Unsupported', 'Jsx'] as const;

/** True for the dynamic-value marker objects. */
export function isDynamic(v: unknown): v is DynamicValue {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return false;
  const keys = Object.keys(v);
  return (keys.length === 1 || (keys.length === 2 && 'async' in v)) && ('$tpl' in v || '$expr' in v || '$fn' in v || '$jsx' in v);
}
