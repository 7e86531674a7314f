export { BuildSpecSchema, parseBuildSpec, type BuildSpec, type BuildSpecInput } from './spec.js';
export { renderKanikoJob, parseDigest, imageWithDigest, kanikoContext, dockerConfigJson, LABEL_BUILD, LABEL_BUILD_ID, type KanikoRender, type RegistryCredentials, type GitCredentials } from './kaniko.js';
export { BuildRunner, type BuildRunnerOptions, type BuildHandle, type BuildResult, type BuildStatus, type BuildPhase, type FollowOptions, type SecretResolver } from './runner.js';
