// The data classification: every column of every table says what kind of data it holds,
// whose it is, and how erasure treats it. Erasure, the access export and the records of
// processing are generated from this — nothing is listed by hand twice. A test fails when a
// column is missing here or listed here but gone from the database.

export type Category = 'identification' | 'contact' | 'education' | 'learning' | 'connection' | 'evidence' | 'none'
export type SubjectType = 'adult' | 'child' | 'staff' | 'guardian' | 'any' | 'none'
/** Why the data is processed; each has its words in the records of processing and the access export. */
export type Purpose = 'service_provision' | 'accounts' | 'security' | 'legal_obligation'
/** delete: the row goes with the subject; anonymize: kept irreversibly anonymized; keep: id-only evidence. */
export type Erasure = 'delete' | 'anonymize' | 'keep' | 'none'

export type ColumnClass = { category: Category; subject: SubjectType; erasure: Erasure; note?: string }
export type TableClass = {
  purpose: Purpose
  /** How the table reaches its data subject, for erasure and access export. */
  subjectColumn: string | null
  /** Organization-owned tables are erased with the organization. */
  orgColumn: string | null
  columns: Record<string, ColumnClass>
}

const none = (note?: string): ColumnClass => ({ category: 'none', subject: 'none', erasure: 'none', note })
const c = (category: Category, subject: SubjectType, erasure: Erasure, note?: string): ColumnClass => ({ category, subject, erasure, note })

export const CLASSIFICATION: Record<string, TableClass> = {
  users: {
    purpose: 'accounts',
    subjectColumn: 'id',
    orgColumn: null,
    columns: {
      id: c('identification', 'any', 'keep', 'random id, kept in tombstones and id-only evidence'),
      kind: none(),
      email: c('contact', 'adult', 'delete'),
      email_verified_at: c('connection', 'adult', 'delete'),
      password_hash: c('connection', 'any', 'delete'),
      username: c('identification', 'child', 'delete'),
      first_name: c('identification', 'any', 'delete'),
      last_name: c('identification', 'any', 'delete'),
      birth_date: c('identification', 'child', 'delete'),
      locale: c('connection', 'any', 'delete'),
      created_at: c('connection', 'any', 'delete'),
      last_login_at: c('connection', 'any', 'delete'),
      deactivated_at: c('connection', 'any', 'delete'),
    },
  },
  sessions: {
    purpose: 'security',
    subjectColumn: 'user_id',
    orgColumn: null,
    columns: {
      id: c('connection', 'any', 'delete', 'SHA-256 of the cookie token'),
      user_id: c('connection', 'any', 'delete'),
      kind: none(),
      created_at: c('connection', 'any', 'delete'),
      expires_at: c('connection', 'any', 'delete'),
      last_seen_at: c('connection', 'any', 'delete'),
      user_agent: c('connection', 'any', 'delete'),
      ip: c('connection', 'any', 'delete'),
      locked_at: c('connection', 'any', 'delete'),
      opened_by: c('connection', 'staff', 'delete'),
    },
  },
  user_tokens: {
    purpose: 'security',
    subjectColumn: 'user_id',
    orgColumn: null,
    columns: {
      id: c('connection', 'adult', 'delete', 'SHA-256 of the emailed token'),
      user_id: c('connection', 'adult', 'delete'),
      purpose: none(),
      created_at: c('connection', 'adult', 'delete'),
      expires_at: c('connection', 'adult', 'delete'),
      used_at: c('connection', 'adult', 'delete'),
    },
  },
  login_throttle: {
    purpose: 'security',
    subjectColumn: null,
    orgColumn: null,
    columns: {
      key: c('connection', 'any', 'none', 'HMAC (server secret) of the scope and the typed identifier or address; no email or address in clear'),
      failures: none(),
      window_started_at: none('rows whose 15-minute window has ended are purged hourly'),
    },
  },
  organizations: {
    purpose: 'service_provision',
    subjectColumn: null,
    orgColumn: 'id',
    columns: {
      id: none(),
      kind: none(),
      name: none('a school or family name; erased with the organization'),
      country: none(),
      plan: none(),
      created_at: none(),
      subscription_ends_at: none(),
      last_access_review_at: c('evidence', 'none', 'none'),
      last_access_review_by: c('evidence', 'staff', 'keep', 'id only'),
    },
  },
  memberships: {
    purpose: 'service_provision',
    subjectColumn: 'user_id',
    orgColumn: 'org_id',
    columns: {
      id: none(),
      org_id: none(),
      user_id: c('identification', 'any', 'delete'),
      role: c('education', 'any', 'delete'),
      status: c('education', 'any', 'delete'),
      created_at: c('education', 'any', 'delete'),
    },
  },
  org_networks: {
    purpose: 'security',
    subjectColumn: null,
    orgColumn: 'org_id',
    columns: {
      id: none(),
      org_id: none(),
      cidr: none("the organization's own network (a school's public address), declared by its admin"),
      label: none(),
      ceiling: none(),
      created_at: none(),
      created_by: c('evidence', 'staff', 'keep', 'id only'),
    },
  },
  classes: {
    purpose: 'service_provision',
    subjectColumn: null,
    orgColumn: 'org_id',
    columns: {
      id: none(), org_id: none(), name: none(), level: none(), school_year: none(), login_code: none(), created_at: none(), archived_at: none(),
    },
  },
  groups: {
    purpose: 'service_provision',
    subjectColumn: null,
    orgColumn: 'org_id',
    columns: { id: none(), org_id: none(), class_id: none(), name: none() },
  },
  class_teachers: {
    purpose: 'service_provision',
    subjectColumn: 'user_id',
    orgColumn: 'org_id',
    columns: { org_id: none(), class_id: c('education', 'staff', 'delete'), user_id: c('identification', 'staff', 'delete'), role: c('education', 'staff', 'delete') },
  },
  enrolments: {
    purpose: 'service_provision',
    subjectColumn: 'child_id',
    orgColumn: 'org_id',
    columns: {
      id: none(), org_id: none(),
      class_id: c('education', 'child', 'delete'),
      child_id: c('identification', 'child', 'delete'),
      group_id: c('education', 'child', 'delete'),
      created_at: c('education', 'child', 'delete'),
    },
  },
  child_profiles: {
    purpose: 'service_provision',
    subjectColumn: 'child_id',
    orgColumn: 'org_id',
    columns: {
      child_id: c('identification', 'child', 'delete'),
      org_id: none(),
      external_id: c('identification', 'child', 'delete', 'school registry id (e.g. INE)'),
      card_token_hash: c('connection', 'child', 'delete'),
      card_code_hash: c('connection', 'child', 'delete'),
      card_issued_at: c('connection', 'child', 'delete'),
    },
  },
  access_reviews: {
    purpose: 'security',
    subjectColumn: null,
    orgColumn: 'org_id',
    columns: { id: none(), org_id: none(), reviewed_by: c('evidence', 'staff', 'keep', 'id only'), reviewed_at: c('evidence', 'none', 'none'), members_count: none() },
  },
  invitations: {
    purpose: 'service_provision',
    subjectColumn: 'accepted_by',
    orgColumn: 'org_id',
    columns: {
      id: none(), org_id: none(),
      email: c('contact', 'adult', 'delete'),
      role: none(),
      token_hash: c('connection', 'adult', 'delete'),
      invited_by: c('evidence', 'staff', 'keep', 'id only'),
      created_at: none(), last_sent_at: none(), expires_at: none(), accepted_at: none(),
      accepted_by: c('identification', 'adult', 'delete'),
      revoked_at: none(), pending_delivery: none(),
    },
  },
  invitation_children: {
    purpose: 'service_provision',
    subjectColumn: 'child_id',
    orgColumn: null,
    columns: { invitation_id: none(), child_id: c('identification', 'child', 'delete') },
  },
  roster_imports: {
    purpose: 'service_provision',
    subjectColumn: null,
    orgColumn: 'org_id',
    columns: {
      id: none(), org_id: none(),
      created_by: c('evidence', 'staff', 'keep', 'id only'),
      created_at: none(), file_name: none(), format: none(), status: none(),
      payload: c('identification', 'child', 'delete', 'names and birth dates from the file; purged after commit'),
      plan: c('identification', 'child', 'delete', 'names from the file; purged after commit'),
      progress: none(), total: none(), error: none(), finished_at: none(),
    },
  },
  audit_events: {
    purpose: 'security',
    subjectColumn: 'actor_id',
    orgColumn: 'org_id',
    columns: {
      id: none(), at: c('connection', 'any', 'keep'), org_id: none(),
      actor_id: c('connection', 'any', 'keep', 'id only; the audit trail outlives the account for its retention period'),
      action: none(), target_type: none(), target_id: c('connection', 'any', 'keep', 'id only'), outcome: none(),
      ip: c('connection', 'any', 'anonymize'),
      user_agent: c('connection', 'any', 'anonymize'),
      details: c('connection', 'none', 'keep', 'ids and counts only, never names'),
    },
  },
  platform_operators: {
    purpose: 'security',
    subjectColumn: 'user_id',
    orgColumn: null,
    columns: { user_id: c('identification', 'staff', 'delete'), granted_at: c('connection', 'staff', 'delete') },
  },
  legal_documents: {
    purpose: 'service_provision',
    subjectColumn: null,
    orgColumn: null,
    columns: { id: none(), kind: none(), version: none(), lang: none(), title: none(), body: none(), published_at: none() },
  },
  outbox_mails: {
    purpose: 'service_provision',
    subjectColumn: 'user_id',
    orgColumn: null,
    columns: {
      id: none(), created_at: c('contact', 'adult', 'delete'), to: c('contact', 'adult', 'delete'),
      subject: c('contact', 'adult', 'delete'), text: c('contact', 'adult', 'delete'), html: c('contact', 'adult', 'delete'),
      user_id: c('contact', 'adult', 'delete'),
    },
  },
  consent_records: {
    purpose: 'legal_obligation',
    subjectColumn: 'subject_id',
    orgColumn: 'org_id',
    columns: {
      id: c('evidence', 'any', 'keep'), org_id: c('evidence', 'none', 'keep'), seq: c('evidence', 'none', 'keep'), at: c('evidence', 'any', 'keep'),
      event: c('evidence', 'any', 'keep'), state: c('evidence', 'any', 'keep'),
      subject_id: c('evidence', 'any', 'keep', 'id only'), actor_id: c('evidence', 'adult', 'keep', 'id only'),
      on_behalf_of: c('evidence', 'child', 'keep', 'id only'), document_kind: c('evidence', 'none', 'keep'),
      document_version: c('evidence', 'none', 'keep'), purpose: c('evidence', 'none', 'keep'), method: c('evidence', 'none', 'keep'),
      language: c('evidence', 'none', 'keep'), details: c('evidence', 'none', 'keep', 'ids only'),
      prev_hash: c('evidence', 'none', 'keep'), hash: c('evidence', 'none', 'keep'),
    },
  },
  // — DPO workspace (consent checkpoints, audit archives, rights requests) —
  consent_checkpoints: {
    purpose: 'legal_obligation',
    subjectColumn: null,
    orgColumn: 'org_id',
    columns: {
      id: c('evidence', 'none', 'keep'), org_id: c('evidence', 'none', 'keep'), seq: c('evidence', 'none', 'keep'),
      head_hash: c('evidence', 'none', 'keep'), signed_at: c('evidence', 'none', 'keep'), hmac: c('evidence', 'none', 'keep'),
    },
  },
  audit_archives: {
    purpose: 'security',
    subjectColumn: null,
    orgColumn: 'org_id',
    columns: {
      id: none(), month: none(), org_id: none(), file_name: none(), sha256: c('evidence', 'none', 'keep'), bytes: none(), entries: none(),
      archived_at: c('evidence', 'none', 'keep'), purge_due_at: none(), purged_at: c('evidence', 'none', 'keep'),
    },
  },
  rights_requests: {
    purpose: 'legal_obligation',
    subjectColumn: 'subject_id',
    orgColumn: 'org_id',
    columns: {
      id: none(), reference: none(), org_id: none(), kind: c('evidence', 'any', 'delete'), channel: none(), status: none(),
      subject_id: c('identification', 'any', 'delete'),
      subject_name: c('identification', 'any', 'delete', 'as typed by the requester'),
      subject_birth_date: c('identification', 'child', 'delete', 'as typed by the requester'),
      requester_email: c('contact', 'adult', 'delete'),
      requester_name: c('identification', 'adult', 'delete'),
      requester_user_id: c('identification', 'adult', 'delete'),
      requester_relation: c('identification', 'adult', 'delete'),
      message: c('contact', 'adult', 'delete', 'free text of the request'),
      lang: none(), created_at: c('evidence', 'any', 'delete'),
      verification_code_hash: c('connection', 'adult', 'delete', 'HMAC of the emailed code'),
      verification_expires_at: c('connection', 'adult', 'delete'), verification_attempts: c('connection', 'adult', 'delete'),
      verified_at: c('evidence', 'adult', 'delete'), received_at: c('evidence', 'any', 'delete'),
      forward_due_at: c('evidence', 'any', 'delete'), forwarded_at: c('evidence', 'any', 'delete'), forward_overdue_at: c('evidence', 'any', 'delete'),
      due_at: c('evidence', 'any', 'delete'), extended_due_at: c('evidence', 'any', 'delete'),
      extension_reason: c('evidence', 'any', 'delete'), extended_at: c('evidence', 'any', 'delete'), extended_by: c('evidence', 'staff', 'delete', 'id only'),
      identity_verified_at: c('evidence', 'any', 'delete'), identity_method: c('evidence', 'any', 'delete'), identity_verified_by: c('evidence', 'staff', 'delete', 'id only'),
      written_instruction_at: c('evidence', 'none', 'delete'), written_instruction_ref: c('evidence', 'none', 'delete'), written_instruction_by: c('evidence', 'staff', 'delete', 'id only'),
      reminded_soon_at: none(), reminded_overdue_at: none(),
      erasure_pending_at: c('evidence', 'any', 'delete'),
      outcome: c('evidence', 'any', 'delete'), outcome_note: c('evidence', 'any', 'delete'),
      closed_at: c('evidence', 'any', 'delete'), closed_by: c('evidence', 'staff', 'delete', 'id only'),
      logged_by: c('evidence', 'staff', 'delete', 'id only (operator)'),
    },
  },
  rights_request_events: {
    purpose: 'legal_obligation',
    subjectColumn: null,
    orgColumn: 'org_id',
    columns: {
      id: none(), request_id: none(), org_id: none(), at: c('evidence', 'any', 'delete'),
      actor_id: c('evidence', 'staff', 'delete', 'id only'), kind: none(),
      note: c('evidence', 'any', 'delete', 'may quote rectified values; erased with the request'),
      details: c('evidence', 'any', 'delete', 'may hold rectified values; erased with the request'),
    },
  },
  subject_restrictions: {
    purpose: 'legal_obligation',
    subjectColumn: 'subject_id',
    orgColumn: 'org_id',
    columns: {
      id: none(), org_id: none(), subject_id: c('identification', 'any', 'delete'), request_id: none(),
      restricted_at: c('evidence', 'any', 'delete'), restricted_by: c('evidence', 'staff', 'delete', 'id only'),
      reason: c('evidence', 'any', 'delete'), lifted_at: c('evidence', 'any', 'delete'), lifted_by: c('evidence', 'staff', 'delete', 'id only'),
    },
  },
  notifications: {
    purpose: 'service_provision',
    subjectColumn: 'user_id',
    orgColumn: 'org_id',
    columns: {
      id: none(), user_id: c('connection', 'adult', 'delete'), org_id: none(), kind: c('connection', 'adult', 'delete'),
      ref_type: none(), ref_id: c('connection', 'adult', 'delete', 'id only'), created_at: c('connection', 'adult', 'delete'), read_at: c('connection', 'adult', 'delete'),
    },
  },
  // — Families: guardianship links, link codes, "not my child" alerts —
  guardian_links: {
    purpose: 'service_provision',
    subjectColumn: 'guardian_id',
    orgColumn: 'org_id',
    columns: {
      id: none(), org_id: none(),
      child_id: c('identification', 'child', 'delete'),
      guardian_id: c('identification', 'guardian', 'delete'),
      legal_status: c('identification', 'guardian', 'delete', 'parent, legal guardian or other contact'),
      can_see_record: c('education', 'guardian', 'delete'),
      can_receive_messages: c('education', 'guardian', 'delete'),
      can_give_consent: c('education', 'guardian', 'delete'),
      started_at: c('education', 'guardian', 'delete'),
      ended_at: c('education', 'guardian', 'delete'),
      ended_by: c('evidence', 'any', 'delete', 'id only'),
      suspended_at: c('education', 'guardian', 'delete'),
      suspended_by: c('evidence', 'staff', 'delete', 'id only'),
      suspension_reason: c('education', 'guardian', 'delete', 'free text typed by the school (e.g. court decision)'),
      code_id: none(),
      created_by: c('evidence', 'any', 'delete', 'id only'),
      created_at: c('education', 'guardian', 'delete'),
    },
  },
  link_codes: {
    purpose: 'service_provision',
    subjectColumn: 'child_id',
    orgColumn: 'org_id',
    columns: {
      id: none(), org_id: none(),
      child_id: c('identification', 'child', 'delete'),
      code_hash: c('connection', 'guardian', 'delete', 'HMAC of the single-use code'),
      channel: none(), invitation_id: none(),
      created_by: c('evidence', 'staff', 'delete', 'id only'),
      created_at: c('connection', 'guardian', 'delete'), expires_at: c('connection', 'guardian', 'delete'),
      last_printed_at: c('connection', 'guardian', 'delete'),
      used_at: c('connection', 'guardian', 'delete'), used_by: c('identification', 'guardian', 'delete'),
      cancelled_at: c('connection', 'guardian', 'delete'), cancel_reason: c('connection', 'guardian', 'delete'),
    },
  },
  link_alerts: {
    purpose: 'service_provision',
    subjectColumn: 'child_id',
    orgColumn: 'org_id',
    columns: {
      id: none(), org_id: none(),
      child_id: c('identification', 'child', 'delete'),
      code_id: none(),
      reported_at: c('connection', 'guardian', 'delete'),
      reported_by: c('identification', 'guardian', 'delete'),
      resolved_at: c('evidence', 'none', 'delete'),
      resolved_by: c('evidence', 'staff', 'delete', 'id only'),
    },
  },
  // — Learning record: skills, activities, quiz questions, results, observations, exports —
  skills: {
    purpose: 'service_provision',
    subjectColumn: null,
    orgColumn: 'org_id',
    columns: { id: none(), org_id: none(), code: none(), label: none(), domain: none(), cycle: none(), position: none(), created_at: none(), archived_at: none() },
  },
  activities: {
    purpose: 'service_provision',
    subjectColumn: null,
    orgColumn: 'org_id',
    columns: {
      id: none(), org_id: none(), class_id: none(), group_id: none(), kind: none(), title: none(), instructions: none(),
      created_by: c('evidence', 'staff', 'keep', 'id only'), created_at: none(),
      published_at: none(), release_at: none(), published_by: c('evidence', 'staff', 'keep', 'id only'),
    },
  },
  activity_skills: {
    purpose: 'service_provision',
    subjectColumn: null,
    orgColumn: 'org_id',
    columns: { org_id: none(), activity_id: none(), skill_id: none() },
  },
  quiz_questions: {
    purpose: 'service_provision',
    subjectColumn: null,
    orgColumn: 'org_id',
    columns: { id: none(), org_id: none(), activity_id: none(), position: none(), text: none(), choices: none(), correct_index: none(), picture_url: none() },
  },
  results: {
    purpose: 'service_provision',
    subjectColumn: 'child_id',
    orgColumn: 'org_id',
    columns: {
      id: none(), org_id: none(),
      child_id: c('learning', 'child', 'anonymize', 'replaced by a random id on erasure, unless the controller objected to anonymization'),
      activity_id: c('learning', 'child', 'anonymize'),
      score: c('learning', 'child', 'anonymize'), max: c('learning', 'child', 'anonymize'),
      answers: c('learning', 'child', 'anonymize', 'indexes of the chosen answers'),
      duration_ms: c('learning', 'child', 'anonymize'), completed_at: c('learning', 'child', 'anonymize'),
      published_at: c('learning', 'child', 'anonymize'), published_by: c('evidence', 'staff', 'keep', 'id only'),
    },
  },
  observations: {
    purpose: 'service_provision',
    subjectColumn: 'child_id',
    orgColumn: 'org_id',
    columns: {
      id: none(), org_id: none(), class_id: c('learning', 'child', 'delete'), activity_id: c('learning', 'child', 'delete'),
      child_id: c('learning', 'child', 'delete'), skill_id: c('learning', 'child', 'delete'),
      level: c('learning', 'child', 'delete'),
      note: c('learning', 'child', 'delete', "teacher's free text about the child: never anonymized, erased"),
      observed_on: c('learning', 'child', 'delete'), teacher_id: c('evidence', 'staff', 'delete', 'id only'),
      created_at: c('learning', 'child', 'delete'), published_at: c('learning', 'child', 'delete'), published_by: c('evidence', 'staff', 'delete', 'id only'),
    },
  },
  export_files: {
    purpose: 'service_provision',
    subjectColumn: 'author_id',
    orgColumn: 'org_id',
    columns: {
      id: none(), org_id: none(),
      scope: none('class id and period only'),
      author_id: c('identification', 'staff', 'delete'), lang: none(),
      created_at: c('connection', 'staff', 'delete'), expires_at: none(), status: none(), progress: none(), total: none(),
      file_name: none(), path: c('learning', 'child', 'delete', 'the file holds learning records; deleted after 7 days by the sweep'),
      sha256: none(), bytes: none(), error: none(), finished_at: none(), heartbeat_at: none('when the job last wrote to the file'),
    },
  },
  // — Retention: deletion requests, tombstones, backups, retention notices, support access —
  org_privacy_settings: {
    purpose: 'legal_obligation',
    subjectColumn: null,
    orgColumn: 'org_id',
    columns: { org_id: none(), deletion_grace_hours: none(), legal_basis: none(), updated_at: none(), updated_by: c('evidence', 'staff', 'keep', 'id only') },
  },
  deletion_requests: {
    purpose: 'legal_obligation',
    subjectColumn: 'subject_id',
    orgColumn: null,
    columns: {
      id: none(), scope: none(),
      subject_id: c('evidence', 'any', 'keep', 'id only: the instruction to erase outlives the subject'),
      org_id: none(), requested_by: c('evidence', 'any', 'keep', 'id only'), requested_by_role: none(),
      reason: none('a code, never free text'), rights_request_id: none(),
      requested_at: c('evidence', 'none', 'keep'), erase_after: none(), due_at: c('evidence', 'none', 'keep'),
      cancelled_at: c('evidence', 'none', 'keep'), cancelled_by: c('evidence', 'any', 'keep', 'id only'),
      completed_at: c('evidence', 'none', 'keep'), overdue_at: c('evidence', 'none', 'keep'), attempts: none(), last_error: none('error message, no row values'),
    },
  },
  erasure_tombstones: {
    purpose: 'legal_obligation',
    subjectColumn: 'subject_id',
    orgColumn: null,
    columns: {
      id: none(), request_id: none(), scope: none(),
      subject_id: c('evidence', 'any', 'keep', 'the random id only: no name, no email, no date of birth'),
      org_id: none(), requested_by_role: none(),
      requested_at: c('evidence', 'none', 'keep'), due_at: c('evidence', 'none', 'keep'), completed_at: c('evidence', 'none', 'keep'),
      late: c('evidence', 'none', 'keep'), deleted: c('evidence', 'none', 'keep', 'table names and counts'), anonymized: c('evidence', 'none', 'keep', 'table names and counts'),
      files: c('evidence', 'none', 'keep'), replayed_at: none(),
    },
  },
  backups: {
    purpose: 'security',
    subjectColumn: null,
    orgColumn: null,
    columns: {
      id: none(), file_name: none(), kind: none(), taken_at: none(), sha256: c('evidence', 'none', 'keep'), bytes: none(), tables: none(), rows: none(),
      expires_at: none(), deleted_at: c('evidence', 'none', 'keep'), deletion_reason: none(),
    },
  },
  retention_notices: {
    purpose: 'legal_obligation',
    subjectColumn: null,
    orgColumn: 'org_id',
    columns: { id: none(), org_id: none(), kind: none(), erasure_at: none(), sent_at: c('evidence', 'none', 'keep'), recipients: none() },
  },
  support_grants: {
    purpose: 'security',
    subjectColumn: null,
    orgColumn: 'org_id',
    columns: {
      id: none(), org_id: none(), granted_by: c('evidence', 'staff', 'keep', 'id only'), reason: none('why support is needed, typed by the admin; no personal data asked'),
      granted_at: c('evidence', 'none', 'keep'), expires_at: c('evidence', 'none', 'keep'), revoked_at: c('evidence', 'none', 'keep'),
      revoked_by: c('evidence', 'staff', 'keep', 'id only'), end_logged_at: none(),
    },
  },
  // — Breach register (processor → controllers) —
  breaches: {
    purpose: 'legal_obligation',
    subjectColumn: null,
    orgColumn: null,
    columns: {
      id: none(), reference: none(), nature: none('describes the incident, not people'), detected_at: none(),
      subject_categories: none(), approx_subjects: none(), record_categories: none(), approx_records: none(),
      consequences: none(), measures: none(), recorded_by: c('evidence', 'staff', 'keep', 'id only (operator)'), recorded_at: none(), closed_at: none(),
    },
  },
  breach_orgs: {
    purpose: 'legal_obligation',
    subjectColumn: null,
    orgColumn: 'org_id',
    columns: {
      id: none(), breach_id: none(), org_id: none(), informed_at: c('evidence', 'none', 'keep'), recipients: none(),
      authority_notified_at: c('evidence', 'none', 'keep'), authority_reference: none(), subjects_informed: c('evidence', 'none', 'keep'),
      subjects_informed_at: c('evidence', 'none', 'keep'), updated_by: c('evidence', 'staff', 'keep', 'id only'), updated_at: none(),
    },
  },
  breach_updates: {
    purpose: 'legal_obligation',
    subjectColumn: null,
    orgColumn: 'org_id',
    columns: { id: none(), breach_id: none(), org_id: none(), at: none(), author_id: c('evidence', 'staff', 'keep', 'id only'), text: none('describes the incident, not people') },
  },
  // — Sub-processors (Annex C) and their announced changes —
  subprocessors: {
    purpose: 'legal_obligation',
    subjectColumn: null,
    orgColumn: null,
    columns: {
      id: none(), name: none(), registration_number: none(), activity: none(), personal_data_transfer: none(), contract: none(), position: none(),
      added_at: none(), effective_at: none(), removed_at: none(),
    },
  },
  subprocessor_changes: {
    purpose: 'legal_obligation',
    subjectColumn: null,
    orgColumn: null,
    columns: { id: none(), kind: none(), subprocessor_id: none(), replaces_id: none(), description: none(), announced_at: none(), announced_by: c('evidence', 'staff', 'keep', 'id only (operator)') },
  },
  subprocessor_change_orgs: {
    purpose: 'legal_obligation',
    subjectColumn: null,
    orgColumn: 'org_id',
    columns: {
      id: none(), change_id: none(), org_id: none(), notified_at: c('evidence', 'none', 'keep'), objection_deadline: none(),
      objected_at: c('evidence', 'none', 'keep'), objected_by: c('evidence', 'staff', 'keep', 'id only'), consent_record_id: none(),
    },
  },
}

/** Tables owned by infrastructure, not by Carnet's data model (not personal data). */
export const UNCLASSIFIED_TABLES = new Set(['__drizzle_migrations'])
