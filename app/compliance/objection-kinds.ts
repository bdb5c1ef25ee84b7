// Processing a subject may object to; the consent log's purpose names it, so the processing can
// check it (objections.server.ts). Shared by the DPO's form and the server-side checks.
export const OBJECTION_PROCESSING = ['anonymized_reuse', 'learning_analytics', 'family_sharing', 'other'] as const
