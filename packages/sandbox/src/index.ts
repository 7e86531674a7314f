export { loadSandbox, SandboxHost, SandboxError, type SandboxLimits, type SandboxModule, type SandboxErrorKind, type HostFunctions } from './sandbox.js';
