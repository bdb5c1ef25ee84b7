// Choices shown in the DPO's forms (shared by the UI and the server-side checks).
export const IDENTITY_METHODS = ['known_account', 'id_document', 'in_person', 'school_records', 'other'] as const

/** Processing a subject may object to; the consent log's purpose names it, so the processing can check it. */
export const OBJECTION_PROCESSING = ['anonymized_reuse', 'learning_analytics', 'family_sharing', 'other'] as const
