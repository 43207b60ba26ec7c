export * from './lib/actions';
export * from './lib/subjects';
export * from './lib/permission-rule';
export * from './lib/built-in-roles';
export * from './lib/define-ability';
export * from './lib/grant-check';
