/**
 * Domain types shared by services, routes and GraphQL resolvers.
 */

export type Role = 'admin' | 'member' | 'viewer';

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  active: boolean;
  passwordHash?: string;
  createdAt: Date;
  updatedAt: Date;
}

/** A user as the API returns it: never the password hash. */
export type PublicUser = Omit<User, 'passwordHash'>;

export type Visibility = 'public' | 'private';

export interface Community {
  id: string;
  name: string;
  slug: string;
  description: string;
  visibility: Visibility;
  ownerId: string;
  archived: boolean;
  createdAt: Date;
}

export type QuestionKind = 'single_choice' | 'multiple_choice' | 'text';

export interface Question {
  id: string;
  prompt: string;
  kind: QuestionKind;
  options: string[];
  correctAnswers: string[];
  points: number;
}

export type AssessmentStatus = 'draft' | 'published' | 'closed';

export interface Assessment {
  id: string;
  communityId: string;
  title: string;
  status: AssessmentStatus;
  passingScore: number;
  questions: Question[];
  createdAt: Date;
}

export interface Submission {
  id: string;
  assessmentId: string;
  userId: string;
  answers: Record<string, string[]>;
  score: number;
  maxScore: number;
  passed: boolean;
  submittedAt: Date;
}

export type MemberRole = 'owner' | 'moderator' | 'member';

export interface Membership {
  id: string;
  communityId: string;
  userId: string;
  role: MemberRole;
  joinedAt: Date;
}

export type NotificationKind = 'welcome' | 'membership' | 'assessment' | 'system';

export interface Notification {
  id: string;
  userId: string;
  kind: NotificationKind;
  message: string;
  read: boolean;
  createdAt: Date;
}
