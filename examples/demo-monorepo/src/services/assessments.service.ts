/**
 * Assessments: drafting questions, publishing, and scoring submissions. A
 * multiple-choice question scores only when every correct option and no
 * wrong one is chosen; text answers compare case-insensitively.
 */
import { ConflictError, NotFoundError, ValidationError } from '../errors';
import { InMemoryRepository } from '../repositories/memory';
import type { Assessment, Question, QuestionKind, Submission } from '../types';
import { requireString } from '../utils/validation';

export interface QuestionInput {
  prompt: string;
  kind: QuestionKind;
  options?: string[];
  correctAnswers: string[];
  points?: number;
}

/** Points `answers` earn for `question`. */
export function scoreQuestion(question: Question, answers: string[] = []): number {
  const given = answers.map((a) => a.trim().toLowerCase()).sort();
  const correct = question.correctAnswers.map((a) => a.trim().toLowerCase()).sort();
  if (question.kind === 'single_choice' || question.kind === 'text') {
    return given.length === 1 && correct.includes(given[0]!) ? question.points : 0;
  }
  return given.length === correct.length && given.every((a, i) => a === correct[i]) ? question.points : 0;
}

export class AssessmentsService {
  constructor(
    private readonly assessments: InMemoryRepository<Assessment> = new InMemoryRepository<Assessment>(),
    private readonly submissions: InMemoryRepository<Submission> = new InMemoryRepository<Submission>(),
  ) {}

  create(communityId: string, title: string, passingScore = 70): Assessment {
    if (!Number.isInteger(passingScore) || passingScore < 0 || passingScore > 100) {
      throw new ValidationError('passingScore must be a whole number from 0 to 100', 'passingScore');
    }
    return this.assessments.insert({
      id: this.assessments.nextId(),
      communityId: requireString(communityId, 'communityId'),
      title: requireString(title, 'title', 3, 120),
      status: 'draft',
      passingScore,
      questions: [],
      createdAt: new Date(),
    });
  }

  get(id: string): Assessment {
    const assessment = this.assessments.findById(id);
    if (!assessment) throw new NotFoundError('assessment', id);
    return assessment;
  }

  listForCommunity(communityId: string, includeDrafts = false): Assessment[] {
    return this.assessments.findMany((a) => a.communityId === communityId && (includeDrafts || a.status !== 'draft'));
  }

  addQuestion(assessmentId: string, input: QuestionInput): Assessment {
    const assessment = this.get(assessmentId);
    if (assessment.status !== 'draft') throw new ConflictError('questions can be added to drafts only');
    const options = input.options ?? [];
    if (input.kind !== 'text' && options.length < 2) throw new ValidationError('a choice question needs at least two options', 'options');
    if (input.correctAnswers.length === 0) throw new ValidationError('a question needs a correct answer', 'correctAnswers');
    if (input.kind !== 'text' && !input.correctAnswers.every((a) => options.includes(a))) {
      throw new ValidationError('every correct answer must be one of the options', 'correctAnswers');
    }
    const question: Question = {
      id: `q${assessment.questions.length + 1}`,
      prompt: requireString(input.prompt, 'prompt', 1, 500),
      kind: input.kind,
      options,
      correctAnswers: input.correctAnswers,
      points: input.points ?? 1,
    };
    return this.assessments.update(assessmentId, { questions: [...assessment.questions, question] })!;
  }

  publish(id: string): Assessment {
    const assessment = this.get(id);
    if (assessment.status !== 'draft') throw new ConflictError(`assessment is ${assessment.status}, not draft`);
    if (assessment.questions.length === 0) throw new ValidationError('an assessment needs at least one question');
    return this.assessments.update(id, { status: 'published' })!;
  }

  close(id: string): Assessment {
    this.get(id);
    return this.assessments.update(id, { status: 'closed' })!;
  }

  submit(assessmentId: string, userId: string, answers: Record<string, string[]>): Submission {
    const assessment = this.get(assessmentId);
    if (assessment.status !== 'published') throw new ConflictError('only published assessments take submissions');
    const maxScore = assessment.questions.reduce((sum, q) => sum + q.points, 0);
    const score = assessment.questions.reduce((sum, q) => sum + scoreQuestion(q, answers[q.id]), 0);
    const percent = maxScore === 0 ? 0 : Math.round((score / maxScore) * 100);
    return this.submissions.insert({
      id: this.submissions.nextId(),
      assessmentId,
      userId,
      answers,
      score,
      maxScore,
      passed: percent >= assessment.passingScore,
      submittedAt: new Date(),
    });
  }

  submissionsFor(assessmentId: string): Submission[] {
    return this.submissions.findMany((s) => s.assessmentId === assessmentId);
  }

  /** Share of submissions that passed, 0..1; 0 when there are none. */
  passRate(assessmentId: string): number {
    const all = this.submissionsFor(assessmentId);
    return all.length === 0 ? 0 : all.filter((s) => s.passed).length / all.length;
  }
}
