// The browser-safe part of the package (no Fastify, no store): the console imports this.
export * from './widget.js';
export * from './schema.js';
export * from './template.js';
export * from './validate.js';
export * from './sreworks.js';
export { COMPONENT_NAME, ComponentDef, ComponentMeta, JsxComponentDef, RemoteComponentDef, componentType, type ComponentRecord } from './components/model.js';
