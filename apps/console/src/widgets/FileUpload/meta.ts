import { z } from 'zod';
import type { WidgetMeta } from '@sreworks/lowcode';
import { propsSchema } from '../common/props.js';

const encodings = z.enum(['multipart', 'raw', 'base64', 'text', 'json']);

const schema = z.object({
  title: z.string().optional(),
  /** text in the drop area. */
  hint: z.string().optional(),
  /**
   * platform API path ("/api/...") the file is sent to through the page's API client (session
   * cookie, CSRF header); other origins are refused. Empty: the file is only read in the browser
   * and published as the node output ({name, size, type, text}).
   */
  url: z.string().optional(),
  method: z.enum(['POST', 'PUT', 'PATCH']).optional(),
  /**
   * how the file travels: `multipart` (form-data, the file under `fieldName`), `raw` (the bytes as
   * the body), or a JSON body with the file under `fieldName` as `base64`, `text` (UTF-8) or
   * `json` (parsed; a file that is not JSON is refused before sending).
   */
  encoding: encodings.optional(),
  /** form field or JSON key of the file. */
  fieldName: z.string().min(1).optional(),
  /** JSON key or form field that receives the file name without its extension (e.g. a plugin name). */
  nameField: z.string().optional(),
  /** extra form fields or JSON keys sent with every file. */
  fields: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  /** like the HTML accept attribute: ".tgz,.tar.gz", "text/csv", "image/*"; empty accepts anything. */
  accept: z.string().optional(),
  /** largest file in bytes (the server's body limit is 1 MiB unless a route raises it; base64 adds a third). */
  maxSize: z.number().int().positive().optional(),
  multiple: z.boolean().optional(),
  disabled: z.boolean().optional(),
});
export type FileUploadProps = z.infer<typeof schema>;
export type UploadEncoding = z.infer<typeof encodings>;

export const defaults = {
  url: '',
  method: 'POST',
  encoding: 'multipart',
  fieldName: 'file',
  accept: '',
  maxSize: 1024 * 1024,
  multiple: false,
  disabled: false,
} satisfies FileUploadProps;

export const meta: WidgetMeta = {
  type: 'FileUpload',
  name: 'File upload',
  nameZh: '文件上传',
  category: 'form',
  description:
    'Drop or pick files and send them to a platform API path (multipart, raw bytes, or inside a JSON body as base64, text or parsed JSON) with progress; too large, wrong type and server errors are shown per file. Emits "uploaded", "error" and "done"; publishes the answers.',
  propsSchema: propsSchema(schema),
  defaults: { ...defaults, title: 'Upload a file', hint: 'Drop a file here or click to choose one', accept: '.json', encoding: 'json', fieldName: 'bundle', url: '/api/lowcode/import' },
  events: ['uploaded', 'error', 'done'],
  version: 1,
};
