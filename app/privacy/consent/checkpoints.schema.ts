// The DPO's consent-log page forms (read in the browser too: zod and form-message only).
import { z } from 'zod'
import { msg } from '~/i18n/form-message'

/** A checkpoint file is under 2 KB; anything past this is not one (the body is read no further). */
export const MAX_CHECKPOINT_FILE_BYTES = 64 * 1024

/** A checkpoint the school kept outside Carnet, uploaded to be checked against today's chain. */
export const heldCheckpointSchema = z.object({
  file: z
    .file({ error: 'dpo.checkpoint.held_file_required' })
    .min(1, { error: 'dpo.checkpoint.held_file_required' })
    .max(MAX_CHECKPOINT_FILE_BYTES, { error: msg('dpo.checkpoint.held_too_large', { max: MAX_CHECKPOINT_FILE_BYTES / 1024 }) }),
})
