// 途径3's "studied together" rule: same level, and the same enrolment year or overlapping years
// of study, from a 学籍 record's first year or a 学历 record's last.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { studiedTogether, studySpan, type StudyRecord } from '../../src/resolution/study-years.ts';

const enrolled = (year: number, level = 'bachelor'): StudyRecord => ({ kind: 'enrolment', level, year });
const graduated = (year: number, level = 'bachelor'): StudyRecord => ({ kind: 'degree', level, year });

test('a record stands for the usual years of its level', () => {
  assert.deepEqual(studySpan(enrolled(2014)), { from: 2014, to: 2018 });
  assert.deepEqual(studySpan(graduated(2018)), { from: 2014, to: 2018 });
  assert.deepEqual(studySpan(enrolled(2020, 'junior_college')), { from: 2020, to: 2023 });
  assert.deepEqual(studySpan(graduated(2021, 'master')), { from: 2018, to: 2021 });
  assert.deepEqual(studySpan(enrolled(2016, 'doctor')), { from: 2016, to: 2020 });
  assert.equal(studySpan({ kind: 'enrolment', level: 'kindergarten', year: 2000 }), undefined);
});

test('two people studied together when a record of each shares a level and a year', () => {
  assert.equal(studiedTogether([enrolled(2014)], [enrolled(2014)]), true, 'one class');
  assert.equal(studiedTogether([enrolled(2014)], [enrolled(2017)]), true, 'a first-year and a final-year student');
  assert.equal(studiedTogether([enrolled(2014)], [enrolled(2018)]), false, 'one left as the other began');
  assert.equal(studiedTogether([graduated(2018)], [enrolled(2015)]), true);
  assert.equal(studiedTogether([graduated(2013)], [enrolled(2014)]), false);
  assert.equal(studiedTogether([enrolled(2014)], [enrolled(2014, 'master')]), false, 'another level, same years');
  assert.equal(studiedTogether([enrolled(2010), enrolled(2014, 'master')], [enrolled(2015, 'master')]), true, 'any pair of records will do');
  assert.equal(studiedTogether([], [enrolled(2014)]), false, 'no record, no classmate');
});
