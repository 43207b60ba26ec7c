// Moved to ui/confirm-dialog.ts; kept here for the areas that import it from this path.
export * from '../../ui/confirm-dialog';
