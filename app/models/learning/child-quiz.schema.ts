// A child's answers to a quiz (a0…aN, the index of the chosen choice) and the time it took,
// shared by the quiz page (in the browser and on the server) and submitQuiz. An answer left
// out, or one that is not a choice, counts as not answered — submitQuiz checks the range, as
// a tablet's child cannot type here and a forged form only loses points.
import { z } from 'zod'

const answer = z.number().int().min(0).optional().catch(undefined)

export function quizAnswersSchema(questions: number) {
  const shape: Record<string, typeof answer> = {}
  for (let i = 0; i < questions; i++) shape[`a${i}`] = answer
  return z.object({ ...shape, durationMs: z.number().min(0).optional().catch(undefined) })
}

/** The answers in question order, null where none was chosen. */
export function answersOf(value: Record<string, number | undefined>, questions: number): (number | null)[] {
  return Array.from({ length: questions }, (_, i) => value[`a${i}`] ?? null)
}
