// Option lists shared by the family pages and their models (no server code: safe in the browser bundle).
export const LEGAL_STATUS_OPTIONS = ['parent', 'legal_guardian', 'other_contact'] as const
export const INFORM_CHANNEL_OPTIONS = ['letter', 'email', 'in_app', 'meeting'] as const
export const DECISION_METHOD_OPTIONS = ['paper_form', 'email', 'meeting', 'in_app'] as const
export const DECISION_OPTIONS = ['obtained', 'refused', 'withdrawn'] as const
