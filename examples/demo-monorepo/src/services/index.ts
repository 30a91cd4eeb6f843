/**
 * One set of services sharing their stores: what the app and each route
 * plugin work with. Route plugins registered on their own make a fresh set.
 */
import { AssessmentsService } from './assessments.service';
import { AuthService } from './auth.service';
import { CommunitiesService } from './communities.service';
import { MembershipsService } from './memberships.service';
import { NotificationsService } from './notifications.service';
import { UsersService } from './users.service';

export interface Services {
  users: UsersService;
  auth: AuthService;
  communities: CommunitiesService;
  assessments: AssessmentsService;
  memberships: MembershipsService;
  notifications: NotificationsService;
}

/** A fresh, empty set of services. */
export function createServices(): Services {
  const users = new UsersService();
  return {
    users,
    auth: new AuthService(users),
    communities: new CommunitiesService(),
    assessments: new AssessmentsService(),
    memberships: new MembershipsService(),
    notifications: new NotificationsService(),
  };
}

/** Options every route plugin takes: the services to use (a fresh set when absent). */
export interface RouteOptions {
  services?: Services;
}
