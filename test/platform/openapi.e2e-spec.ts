import { Body, Controller, Post } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsString } from 'class-validator';
import request from 'supertest';
import { startTestService, type TestService } from './support/test-service';

class RenewRequest {
  @ApiProperty()
  @IsString()
  serial!: string;
}

@Controller('v1/renewals')
class RenewalController {
  @Post()
  renew(@Body() body: RenewRequest): { serial: string } {
    return { serial: body.serial };
  }
}

describe('OpenAPI', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService({ service: 'skm', controllers: [RenewalController] });
  });
  afterAll(() => service.close());

  it('serves /openapi.json listing every route, each answering errors as problem documents', async () => {
    const res = await request(service.app.getHttpServer()).get('/openapi.json').expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const document = res.body;
    expect(document.openapi).toMatch(/^3\./);
    expect(document.info).toMatchObject({ title: 'smpki-skm', version: '0.1.0' });
    expect(Object.keys(document.paths).sort()).toEqual(['/healthz', '/metrics', '/readyz', '/v1/info', '/v1/renewals']);
    expect(document.paths['/v1/renewals'].post.requestBody.content['application/json'].schema.$ref).toBe('#/components/schemas/RenewRequest');
    expect(document.paths['/v1/info'].get.responses['200'].content['application/json'].schema.$ref).toBe('#/components/schemas/ServiceInfo');
    for (const item of Object.values(document.paths) as Array<Record<string, { responses: Record<string, unknown> }>>) {
      for (const operation of Object.values(item)) {
        expect(operation.responses.default).toEqual({
          description: 'Error: RFC 9457 problem document',
          content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
        });
      }
    }
    expect(document.components.schemas.Problem.required).toEqual(['type', 'title', 'status']);
  });

  it('serves Swagger UI at /docs from local assets', async () => {
    const page = await request(service.app.getHttpServer()).get('/docs').expect(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).toContain('swagger-ui');
    const script = await request(service.app.getHttpServer()).get('/docs/swagger-ui-bundle.js').expect(200);
    expect(script.text.length).toBeGreaterThan(100_000);
  });
});
