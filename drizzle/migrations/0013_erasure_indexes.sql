CREATE INDEX "sessions_opened_by" ON "sessions" USING btree ("opened_by") WHERE opened_by is not null;--> statement-breakpoint
CREATE INDEX "users_email_lower" ON "users" USING btree (lower("email")) WHERE email is not null;--> statement-breakpoint
CREATE INDEX "access_reviews_org" ON "access_reviews" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "child_profiles_org" ON "child_profiles" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "class_teachers_org" ON "class_teachers" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "enrolments_org" ON "enrolments" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "enrolments_group" ON "enrolments" USING btree ("group_id") WHERE group_id is not null;--> statement-breakpoint
CREATE INDEX "groups_org" ON "groups" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "invitations_email_lower" ON "invitations" USING btree (lower("email"));--> statement-breakpoint
CREATE INDEX "invitations_accepted_by" ON "invitations" USING btree ("accepted_by") WHERE accepted_by is not null;--> statement-breakpoint
CREATE INDEX "roster_imports_org" ON "roster_imports" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "outbox_mails_to_lower" ON "outbox_mails" USING btree (lower("to"));--> statement-breakpoint
CREATE INDEX "outbox_mails_user" ON "outbox_mails" USING btree ("user_id") WHERE user_id is not null;--> statement-breakpoint
CREATE INDEX "notifications_org" ON "notifications" USING btree ("org_id") WHERE org_id is not null;--> statement-breakpoint
CREATE INDEX "notifications_ref" ON "notifications" USING btree ("ref_id") WHERE ref_id is not null;--> statement-breakpoint
CREATE INDEX "rights_request_events_org" ON "rights_request_events" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "rights_request_events_actor" ON "rights_request_events" USING btree ("actor_id") WHERE actor_id is not null;--> statement-breakpoint
CREATE INDEX "rights_requests_requester_email_lower" ON "rights_requests" USING btree (lower("requester_email"));--> statement-breakpoint
CREATE INDEX "rights_requests_requester_user_id" ON "rights_requests" USING btree ("requester_user_id") WHERE requester_user_id is not null;--> statement-breakpoint
CREATE INDEX "rights_requests_extended_by" ON "rights_requests" USING btree ("extended_by") WHERE extended_by is not null;--> statement-breakpoint
CREATE INDEX "rights_requests_identity_verified_by" ON "rights_requests" USING btree ("identity_verified_by") WHERE identity_verified_by is not null;--> statement-breakpoint
CREATE INDEX "rights_requests_written_instruction_by" ON "rights_requests" USING btree ("written_instruction_by") WHERE written_instruction_by is not null;--> statement-breakpoint
CREATE INDEX "rights_requests_closed_by" ON "rights_requests" USING btree ("closed_by") WHERE closed_by is not null;--> statement-breakpoint
CREATE INDEX "rights_requests_logged_by" ON "rights_requests" USING btree ("logged_by") WHERE logged_by is not null;--> statement-breakpoint
CREATE INDEX "subject_restrictions_org" ON "subject_restrictions" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "subject_restrictions_restricted_by" ON "subject_restrictions" USING btree ("restricted_by") WHERE restricted_by is not null;--> statement-breakpoint
CREATE INDEX "subject_restrictions_lifted_by" ON "subject_restrictions" USING btree ("lifted_by") WHERE lifted_by is not null;--> statement-breakpoint
CREATE INDEX "guardian_links_child_only" ON "guardian_links" USING btree ("child_id");--> statement-breakpoint
CREATE INDEX "guardian_links_created_by" ON "guardian_links" USING btree ("created_by") WHERE created_by is not null;--> statement-breakpoint
CREATE INDEX "guardian_links_ended_by" ON "guardian_links" USING btree ("ended_by") WHERE ended_by is not null;--> statement-breakpoint
CREATE INDEX "guardian_links_suspended_by" ON "guardian_links" USING btree ("suspended_by") WHERE suspended_by is not null;--> statement-breakpoint
CREATE INDEX "link_alerts_child" ON "link_alerts" USING btree ("child_id");--> statement-breakpoint
CREATE INDEX "link_alerts_reported_by" ON "link_alerts" USING btree ("reported_by") WHERE reported_by is not null;--> statement-breakpoint
CREATE INDEX "link_alerts_resolved_by" ON "link_alerts" USING btree ("resolved_by") WHERE resolved_by is not null;--> statement-breakpoint
CREATE INDEX "link_codes_child_only" ON "link_codes" USING btree ("child_id");--> statement-breakpoint
CREATE INDEX "link_codes_created_by" ON "link_codes" USING btree ("created_by") WHERE created_by is not null;--> statement-breakpoint
CREATE INDEX "link_codes_used_by" ON "link_codes" USING btree ("used_by") WHERE used_by is not null;--> statement-breakpoint
CREATE INDEX "activities_group" ON "activities" USING btree ("group_id") WHERE group_id is not null;--> statement-breakpoint
CREATE INDEX "activity_skills_org" ON "activity_skills" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "export_files_author" ON "export_files" USING btree ("author_id");--> statement-breakpoint
CREATE INDEX "observations_child" ON "observations" USING btree ("child_id");--> statement-breakpoint
CREATE INDEX "observations_skill" ON "observations" USING btree ("skill_id");--> statement-breakpoint
CREATE INDEX "observations_teacher" ON "observations" USING btree ("teacher_id") WHERE teacher_id is not null;--> statement-breakpoint
CREATE INDEX "observations_published_by" ON "observations" USING btree ("published_by") WHERE published_by is not null;--> statement-breakpoint
CREATE INDEX "quiz_questions_org" ON "quiz_questions" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "results_child" ON "results" USING btree ("child_id");--> statement-breakpoint
CREATE INDEX "breach_updates_org" ON "breach_updates" USING btree ("org_id") WHERE org_id is not null;