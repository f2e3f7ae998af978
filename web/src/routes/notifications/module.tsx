// Notifications in the web client: everyone's own settings, and for holders of
// notification:manage the outbox, dead letters, webhook endpoints and held inbound mail.
import type { WebModule } from '../../lib/module-kit';
import { NotificationSettingsPage } from './settings-page';
import { DeadLettersPage, OutboxPage } from './outbox-page';
import { WebhooksPage } from './webhooks-page';
import { HeldMailPage } from './held-mail-page';

export const notificationsModule: WebModule = {
  name: 'notifications',
  routes: [
    ['/settings/notifications', () => <NotificationSettingsPage />],
    ['/notifications', () => <OutboxPage />],
    ['/notifications/dead-letters', () => <DeadLettersPage />],
    ['/notifications/webhooks', () => <WebhooksPage />],
    ['/notifications/held-mail', () => <HeldMailPage />],
  ],
  nav: [{ to: '/notifications', label: 'Notifications', section: 'administration', federationPermission: 'notification:manage' }],
};
