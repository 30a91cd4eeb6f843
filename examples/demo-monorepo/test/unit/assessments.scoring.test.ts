import { scoreQuestion } from '../../src/services/assessments.service';
import type { Question } from '../../src/types';

const question: Question = {
  id: 'q1',
  prompt: 'Which are prime?',
  kind: 'multiple_choice',
  options: ['2', '3', '4'],
  correctAnswers: ['2', '3'],
  points: 2,
};

describe('scoreQuestion', () => {
  it('gives the points only for exactly the correct options', () => {
    expect(scoreQuestion(question, ['3', '2'])).toBe(2);
    expect(scoreQuestion(question, ['2'])).toBe(0);
    expect(scoreQuestion(question, ['2', '3', '4'])).toBe(0);
  });
});
