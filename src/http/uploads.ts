// A file that arrived in a multipart form, as the multipart hook in app.ts leaves it on the body:
// ID photos, an enterprise's stamped letter, a records file.
export interface UploadedFile {
  data: Buffer;
  /** The upload was cut at its size limit (more was sent than the route takes). */
  truncated: boolean;
  /** The name the browser gave the file (kept only for the audit trail of a records upload). */
  filename?: string;
}
