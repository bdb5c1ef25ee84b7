// Choices shown in the DPO's forms (shared by the UI and the server-side checks).
export const IDENTITY_METHODS = ['known_account', 'id_document', 'in_person', 'school_records', 'other'] as const
