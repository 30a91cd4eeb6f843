/**
 * /assessments: community members draft, publish and take assessments.
 */
import type { FastifyInstance } from 'fastify';
import { ForbiddenError } from '../errors';
import { currentUser, requireAuth } from '../middleware/auth.middleware';
import { createServices, type RouteOptions } from '../services';
import type { QuestionInput } from '../services/assessments.service';

interface IdParams {
  id: string;
}

export default async function assessmentsRoutes(app: FastifyInstance, options: RouteOptions = {}): Promise<void> {
  const { assessments, memberships, auth } = options.services ?? createServices();
  const authenticated = requireAuth(auth);

  const assertModerator = (communityId: string, userId: string, role: string): void => {
    if (role !== 'admin' && !memberships.canModerate(communityId, userId)) throw new ForbiddenError('only community moderators may manage assessments');
  };

  app.get<{ Params: { communityId: string } }>('/communities/:communityId/assessments', async (request) =>
    assessments.listForCommunity(request.params.communityId),
  );

  app.get<{ Params: IdParams }>('/assessments/:id', async (request) => {
    const { questions, ...assessment } = assessments.get(request.params.id);
    // Takers see the questions, never the answers.
    return { ...assessment, questions: questions.map(({ correctAnswers: _hidden, ...q }) => q) };
  });

  app.post<{ Body: { communityId: string; title: string; passingScore?: number } }>('/assessments', {
    preHandler: authenticated,
    schema: { body: { type: 'object', required: ['communityId', 'title'], properties: { communityId: { type: 'string' }, title: { type: 'string' }, passingScore: { type: 'integer' } } } },
  }, async (request, reply) => {
    const caller = currentUser(request);
    assertModerator(request.body.communityId, caller.sub, caller.role);
    return reply.code(201).send(assessments.create(request.body.communityId, request.body.title, request.body.passingScore));
  });

  app.post<{ Params: IdParams; Body: QuestionInput }>('/assessments/:id/questions', {
    preHandler: authenticated,
    schema: { body: { type: 'object', required: ['prompt', 'kind', 'correctAnswers'], properties: { prompt: { type: 'string' }, kind: { type: 'string', enum: ['single_choice', 'multiple_choice', 'text'] }, options: { type: 'array', items: { type: 'string' } }, correctAnswers: { type: 'array', items: { type: 'string' } }, points: { type: 'integer', minimum: 1 } } } },
  }, async (request) => {
    const caller = currentUser(request);
    assertModerator(assessments.get(request.params.id).communityId, caller.sub, caller.role);
    return assessments.addQuestion(request.params.id, request.body);
  });

  app.post<{ Params: IdParams }>('/assessments/:id/publish', { preHandler: authenticated }, async (request) => {
    const caller = currentUser(request);
    assertModerator(assessments.get(request.params.id).communityId, caller.sub, caller.role);
    return assessments.publish(request.params.id);
  });

  app.post<{ Params: IdParams; Body: { answers: Record<string, string[]> } }>('/assessments/:id/submissions', {
    preHandler: authenticated,
    schema: { body: { type: 'object', required: ['answers'], properties: { answers: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } } } } },
  }, async (request, reply) => {
    const submission = assessments.submit(request.params.id, currentUser(request).sub, request.body.answers);
    return reply.code(201).send(submission);
  });
}
