// Error codes raised by @sreworks/aiops (all InputError/NotFoundError from the kernel), for
// docs/errors.md. Each error names the offending field in details.field.
export const aiopsErrorCodes: Record<string, { status: number; meaning: string }> = {
  AIOPS_INPUT_EMPTY: { status: 400, meaning: 'an input file or table has no data rows' },
  AIOPS_INPUT_COLUMNS: { status: 400, meaning: 'wrong columns: timestamp,value expected, or no shared <service>_<metric> columns' },
  AIOPS_INPUT_TIMESTAMP: { status: 400, meaning: 'a timestamp cannot be parsed (line named)' },
  AIOPS_INPUT_ORDER: { status: 400, meaning: 'timestamps go backwards (line named)' },
  AIOPS_INPUT_LENGTH: { status: 400, meaning: 'parallel arrays differ in length (e.g. lines and times)' },
  AIOPS_INPUT_TOO_SHORT: { status: 400, meaning: 'too few finite values for the operation' },
  AIOPS_INPUT_MISSING: { status: 400, meaning: 'a required CLI input option is missing' },
  AIOPS_INPUT_NOT_FILE: { status: 400, meaning: 'a CLI input path is not a regular file' },
  AIOPS_INPUT_UNREADABLE: { status: 400, meaning: 'a CLI input file cannot be read' },
  AIOPS_INPUT_TOO_LARGE: { status: 400, meaning: 'a CLI input file exceeds 2 GiB' },
  AIOPS_OUTPUT_MISSING: { status: 400, meaning: 'a required CLI output option is missing' },
  AIOPS_OUTPUT_UNWRITABLE: { status: 400, meaning: 'a CLI output file cannot be written' },
  AIOPS_DETECTOR_UNKNOWN: { status: 400, meaning: 'unknown anomaly detector name' },
  AIOPS_PARAMS_INVALID: { status: 400, meaning: 'an algorithm parameter is out of range' },
  AIOPS_RUN_NOT_FOUND: { status: 404, meaning: 'no AIOps run with this id' },
  AIOPS_RUN_TIMEOUT: { status: 422, meaning: 'the run passed its timeout (SREWORKS_AIOPS_RUN_TIMEOUT_MS); submit a smaller input' },
  AIOPS_RUN_STOPPED: { status: 503, meaning: 'the run was stopped by a shutdown of the server' },
  AIOPS_STREAM_NOT_FOUND: { status: 404, meaning: 'no log stream with this name' },
  AIOPS_TEMPLATE_NOT_FOUND: { status: 404, meaning: 'no template with this id in the log stream' },
};
