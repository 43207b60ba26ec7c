export * from './lib/alert-evaluator';
export * from './lib/alerts.module';
export * from './lib/notification-dispatcher';
export * from './lib/notifiers/notifier';
