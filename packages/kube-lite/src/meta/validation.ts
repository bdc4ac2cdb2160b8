/** ObjectMeta validation, as apimachinery's ValidateObjectMeta does it (names, labels, annotations, owners). */
import { fieldErrors, type FieldError } from '../errors';
import type { KubeObject } from '../types';
import { isObject } from '../util/json';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

export type NameRule = 'subdomain' | 'label' | 'path';

export function validateName(name: string, rule: NameRule): string[] {
  if (rule === 'path') {
    if (name === '.' || name === '..') return [`may not be '${name}'`];
    if (name.includes('/') || name.includes('%')) return [`may not contain '/' or '%'`];
    return [];
  }
  const max = rule === 'label' ? 63 : 253;
  const out: string[] = [];
  if (name.length > max) out.push(`must be no more than ${max} characters`);
  const re = rule === 'label' ? DNS1123_LABEL : DNS1123_SUBDOMAIN;
  if (!re.test(name)) {
    out.push(
      rule === 'label'
        ? `a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`
        : `a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
    );
  }
  return out;
}

function validateQualifiedName(key: string, field: string, errs: FieldError[]): void {
  const parts = key.split('/');
  let name = key;
  if (parts.length === 2) {
    const [prefix, n] = parts as [string, string];
    name = n;
    if (!prefix || prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix)) {
      errs.push(fieldErrors.invalid(field, key, 'prefix part must be a lowercase RFC 1123 subdomain'));
    }
  } else if (parts.length > 2) {
    errs.push(
      fieldErrors.invalid(
        field,
        key,
        "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character with an optional DNS subdomain prefix and '/'",
      ),
    );
    return;
  }
  if (!name || name.length > 63 || !QUALIFIED_NAME.test(name)) {
    errs.push(
      fieldErrors.invalid(
        field,
        key,
        "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
      ),
    );
  }
}

export function validateObjectMeta(object: KubeObject, rule: NameRule, namespaced: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const m = object.metadata;
  if (!isObject(m)) return [fieldErrors.required('metadata')];
  if (!m.name) {
    errs.push(fieldErrors.required('metadata.name', 'name or generateName is required'));
  } else {
    for (const msg of validateName(m.name, rule)) errs.push(fieldErrors.invalid('metadata.name', m.name, msg));
  }
  if (namespaced && !m.namespace) errs.push(fieldErrors.required('metadata.namespace'));
  if (!namespaced && m.namespace) errs.push(fieldErrors.forbidden('metadata.namespace', 'not allowed on this type'));
  if (m.labels !== undefined) {
    if (!isObject(m.labels)) errs.push(fieldErrors.invalid('metadata.labels', m.labels, 'must be a map of strings'));
    else
      for (const [k, v] of Object.entries(m.labels)) {
        validateQualifiedName(k, 'metadata.labels', errs);
        if (typeof v !== 'string' || v.length > 63 || !LABEL_VALUE.test(v)) {
          errs.push(
            fieldErrors.invalid(
              'metadata.labels',
              v,
              "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
            ),
          );
        }
      }
  }
  if (m.annotations !== undefined) {
    if (!isObject(m.annotations))
      errs.push(fieldErrors.invalid('metadata.annotations', m.annotations, 'must be a map of strings'));
    else {
      let total = 0;
      for (const [k, v] of Object.entries(m.annotations)) {
        validateQualifiedName(k.toLowerCase(), 'metadata.annotations', errs);
        if (typeof v !== 'string') errs.push(fieldErrors.invalid(`metadata.annotations`, v, 'must be a string'));
        total += k.length + String(v).length;
      }
      if (total > 256 * 1024) {
        errs.push({
          type: 'FieldValueTooLong',
          field: 'metadata.annotations',
          detail: 'Too long: may not be more than 262144 bytes',
        });
      }
    }
  }
  if (m.finalizers !== undefined) {
    if (!Array.isArray(m.finalizers))
      errs.push(fieldErrors.invalid('metadata.finalizers', m.finalizers, 'must be a list'));
    else
      m.finalizers.forEach((f, i) => {
        if (typeof f !== 'string') errs.push(fieldErrors.invalid(`metadata.finalizers[${i}]`, f, 'must be a string'));
        else validateQualifiedName(f, `metadata.finalizers[${i}]`, errs);
      });
  }
  if (m.ownerReferences !== undefined) {
    if (!Array.isArray(m.ownerReferences))
      errs.push(fieldErrors.invalid('metadata.ownerReferences', m.ownerReferences, 'must be a list'));
    else {
      let controllers = 0;
      m.ownerReferences.forEach((o, i) => {
        const f = `metadata.ownerReferences[${i}]`;
        if (!isObject(o)) return errs.push(fieldErrors.invalid(f, o, 'must be an object'));
        if (!o.apiVersion)
          errs.push(fieldErrors.invalid(`${f}.apiVersion`, o.apiVersion ?? '', 'version must not be empty'));
        if (!o.kind) errs.push(fieldErrors.invalid(`${f}.kind`, o.kind ?? '', 'kind must not be empty'));
        if (!o.name) errs.push(fieldErrors.invalid(`${f}.name`, o.name ?? '', 'name must not be empty'));
        if (!o.uid) errs.push(fieldErrors.invalid(`${f}.uid`, o.uid ?? '', 'uid must not be empty'));
        if (o.controller) controllers++;
        return undefined;
      });
      if (controllers > 1)
        errs.push(
          fieldErrors.invalid(
            'metadata.ownerReferences',
            m.ownerReferences,
            'Only one reference can have Controller set to true',
          ),
        );
    }
  }
  return errs;
}
