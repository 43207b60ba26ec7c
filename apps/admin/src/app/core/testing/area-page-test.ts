// The common set-up of an area page's component test (imported by specs only).
import type { Type } from '@angular/core';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { afterEach, beforeEach } from '@jest/globals';
import { MatDialog } from '@angular/material/dialog';
import { ApolloTestingController } from 'apollo-angular/testing';
import type { AreaTranslations } from '../../areas';
import { byTestId, configureAreaTest, settle } from './area-testing';

/** The page under test, its rendering and Apollo's testing backend; fresh in every test. */
export class AreaPageTest<T> {
  fixture!: ComponentFixture<T>;
  page!: HTMLElement;
  controller!: ApolloTestingController;

  constructor(private readonly component: Type<T>) {}

  async render(): Promise<void> {
    this.fixture = TestBed.createComponent(this.component);
    this.page = this.fixture.nativeElement as HTMLElement;
    await settle(this.fixture);
  }

  /** Clicks the element with that test id (in the page by default) and lets the page answer. */
  async click(id: string, root: ParentNode = this.page): Promise<void> {
    byTestId(id, root).click();
    await settle(this.fixture);
  }
}

/**
 * Registers the set-up of each test (TestBed for `component` with the English `translations`) and
 * its end (dialogs closed, every GraphQL operation answered); call inside `describe`.
 */
export function areaPageTest<T>(component: Type<T>, ...translations: AreaTranslations[]): AreaPageTest<T> {
  const test = new AreaPageTest(component);
  beforeEach(() => {
    configureAreaTest(component, ...translations);
    test.controller = TestBed.inject(ApolloTestingController);
  });
  afterEach(() => {
    TestBed.inject(MatDialog).closeAll();
    test.controller.verify();
  });
  return test;
}
