/** The release of this build; reported by the OpenAPI document and `switchboard --version`. */
export const VERSION = '0.1.0';
