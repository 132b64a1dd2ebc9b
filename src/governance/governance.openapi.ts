import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiResponse } from '@nestjs/swagger';
import { ApiAuthenticationThrottled, ApiProblem } from 'src/ngsi-ld/common/ngsi-ld.openapi';

/** The problems every /api/v1 route can answer with. */
export const ApiGovernanceProblems = () =>
  applyDecorators(
    ApiProblem(400, 'Invalid request body or parameters (BadRequestData, listing every problem)'),
    ApiProblem(401, 'Credentials present but not valid, or needed and missing'),
    ApiAuthenticationThrottled(),
    ApiProblem(403, 'Authenticated, but not allowed (admin role, MFA)', 'urn:vg-datashare:problem:forbidden'),
    ApiProblem(404, 'Absent, or not visible to the caller'),
  );

export const ApiJsonBody = (schema: Record<string, unknown>, example?: unknown) =>
  ApiBody({ schema: { type: 'object', ...schema }, ...(example ? { examples: { example: { value: example } } } : {}) });

export const ApiJsonResponse = (status: number, description: string, example?: unknown) =>
  ApiResponse({ status, description, ...(example ? { content: { 'application/json': { example } } } : {}) });
