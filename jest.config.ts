import { getJestProjectsAsync } from '@nx/jest';

export default async () => ({
  projects: await getJestProjectsAsync(),
  // Two cores: the end-to-end suites each run a gateway process beside the test worker.
  maxWorkers: 2,
});
