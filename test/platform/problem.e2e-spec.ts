import { Body, Controller, ForbiddenException, Get, HttpCode, Injectable, Logger, Param, ParseIntPipe, Post } from '@nestjs/common';
import { ProblemException, REFUSAL_RECORDER, type ProblemDocument, type RefusalRecorder } from '@smpki/platform';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsInt, IsNotEmpty, IsString, Max, ValidateNested } from 'class-validator';
import type { IncomingMessage } from 'node:http';
import request from 'supertest';
import { startTestService, type TestService } from './support/test-service';

class Subject {
  @IsString()
  @IsNotEmpty()
  commonName!: string;
}

class Item {
  @IsInt()
  @Max(10)
  quantity!: number;
}

class CreateOrder {
  @ValidateNested()
  @Type(() => Subject)
  subject!: Subject;

  @ValidateNested({ each: true })
  @ArrayMaxSize(3)
  @Type(() => Item)
  items!: Item[];
}

@Controller('test')
class ProblemsController {
  private readonly logger = new Logger('ProblemsController');

  @Post('orders')
  @HttpCode(201)
  create(@Body() order: CreateOrder): { received: string; itemsAreInstances: boolean } {
    this.logger.log('order received');
    return { received: order.subject.commonName, itemsAreInstances: order.items.every((item) => item instanceof Item) };
  }

  @Get('orders/:id')
  get(@Param('id', ParseIntPipe) id: number): { id: number } {
    return { id };
  }

  @Get('crash')
  crash(): never {
    throw new TypeError("Cannot read properties of undefined (reading 'pin') at /srv/smpki/libs/hsm/src/session.ts:42 db=postgres://smpki:hunter2@db");
  }

  @Get('forbidden')
  forbidden(): never {
    throw new ForbiddenException('The caller lacks the role ca-operator');
  }

  @Get('bad-proof')
  badProof(): never {
    throw new ProblemException({
      status: 400,
      type: 'proof-of-possession-failed',
      title: 'Proof of Possession Failed',
      detail: 'The CSR signature does not verify with its public key',
      recordRefusal: true,
    });
  }

  @Get('unauthenticated')
  unauthenticated(): never {
    throw new ProblemException({ status: 401, detail: 'A client certificate is required', headers: { 'WWW-Authenticate': 'Bearer' } });
  }
}

@Injectable()
class RecordingRefusals implements RefusalRecorder {
  readonly recorded: Array<{ method?: string; url?: string; problem: ProblemDocument }> = [];
  failNext = false;

  async record(req: IncomingMessage, problem: ProblemDocument): Promise<void> {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('audit database unavailable');
    }
    this.recorded.push({ method: req.method, url: req.url, problem });
  }
}

describe('problem+json errors', () => {
  let service: TestService;
  let refusals: RecordingRefusals;

  beforeAll(async () => {
    service = await startTestService({
      controllers: [ProblemsController],
      providers: [RecordingRefusals, { provide: REFUSAL_RECORDER, useExisting: RecordingRefusals }],
    });
    refusals = service.app.get(RecordingRefusals);
  });
  afterAll(() => service.close());

  const http = () => request(service.app.getHttpServer());

  function expectProblem(res: request.Response, status: number): void {
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(res.body.status).toBe(status);
    expect(res.body.type).toMatch(/^urn:smpki:problem:[a-z-]+$/);
    expect(typeof res.body.title).toBe('string');
    expect(res.body.requestId).toBe(res.headers['x-request-id']);
  }

  it('answers an unknown route with a 404 problem', async () => {
    const res = await http().get('/v1/nothing-here?token=abc');
    expectProblem(res, 404);
    expect(res.body).toMatchObject({ type: 'urn:smpki:problem:not-found', title: 'Not Found', instance: '/v1/nothing-here' });
    // Nest's message would repeat the query string; the answer names the path only.
    expect(res.body.detail).toBe('Cannot GET /v1/nothing-here');
    expect(res.text).not.toContain('token=abc');
  });

  it('answers a validation failure with 400 naming each field and rule', async () => {
    const res = await http()
      .post('/test/orders')
      .send({ subject: { commonName: '' }, items: [{ quantity: 2 }, { quantity: 'many' }], extra: true });
    expectProblem(res, 400);
    expect(res.body.type).toBe('urn:smpki:problem:validation-failed');
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        { field: 'extra', rule: 'unknownProperty', message: 'property extra should not exist' },
        { field: 'subject.commonName', rule: 'isNotEmpty', message: 'commonName should not be empty' },
        { field: 'items[1].quantity', rule: 'isInt', message: expect.any(String) },
        { field: 'items[1].quantity', rule: 'max', message: expect.any(String) },
      ]),
    );
    expect(res.body.errors).toHaveLength(4);
    expect(res.body.detail).toBe('The request has 4 invalid fields: extra, subject.commonName, items[1].quantity');
  });

  it('accepts a valid body and hands the handler class instances', async () => {
    const res = await http()
      .post('/test/orders')
      .send({ subject: { commonName: 'meter-1' }, items: [{ quantity: 1 }] })
      .expect(201);
    expect(res.body).toEqual({ received: 'meter-1', itemsAreInstances: true });
  });

  it('answers a malformed JSON body with a 400 problem', async () => {
    const res = await http().post('/test/orders').set('Content-Type', 'application/json').send('{"subject": ');
    expectProblem(res, 400);
    expect(res.body.type).toBe('urn:smpki:problem:bad-request');
  });

  it('converts Nest pipe errors (ParseIntPipe) to a 400 problem', async () => {
    const res = await http().get('/test/orders/abc');
    expectProblem(res, 400);
    expect(res.body.detail).toBe('Validation failed (numeric string is expected)');
  });

  it('answers an unhandled exception with a 500 problem that shows nothing of it, and logs it', async () => {
    const res = await http().get('/test/crash');
    expectProblem(res, 500);
    expect(res.body).toEqual({
      type: 'urn:smpki:problem:internal-error',
      title: 'Internal Server Error',
      status: 500,
      detail: 'The service could not complete the request. Quote the request id when reporting this.',
      instance: '/test/crash',
      requestId: res.headers['x-request-id'],
    });
    expect(res.text).not.toMatch(/TypeError|pin|session\.ts|hunter2|stack/);
    const line = service.logs().find((l) => l.msg === 'unhandled exception' && l.requestId === res.body.requestId);
    expect(line).toMatchObject({ level: 'error', context: 'ProblemDetails', path: '/test/crash', err: { type: 'TypeError' } });
  });

  it('converts an HttpException, keeps its message, and records the refusal', async () => {
    const before = refusals.recorded.length;
    const res = await http().get('/test/forbidden');
    expectProblem(res, 403);
    expect(res.body).toMatchObject({ type: 'urn:smpki:problem:forbidden', title: 'Forbidden', detail: 'The caller lacks the role ca-operator' });
    expect(refusals.recorded.slice(before)).toEqual([{ method: 'GET', url: '/test/forbidden', problem: res.body }]);
  });

  it('records a refusal marked recordRefusal whatever its status', async () => {
    const res = await http().get('/test/bad-proof');
    expectProblem(res, 400);
    expect(res.body).toMatchObject({ type: 'urn:smpki:problem:proof-of-possession-failed', title: 'Proof of Possession Failed' });
    expect(refusals.recorded.at(-1)?.problem.type).toBe('urn:smpki:problem:proof-of-possession-failed');
  });

  it('does not record ordinary client errors', async () => {
    const before = refusals.recorded.length;
    await http().get('/v1/nothing-here').expect(404);
    await http().get('/test/orders/abc').expect(400);
    expect(refusals.recorded.length).toBe(before);
  });

  it('sends the headers of a ProblemException', async () => {
    const res = await http().get('/test/unauthenticated');
    expectProblem(res, 401);
    expect(res.headers['www-authenticate']).toBe('Bearer');
  });

  it('still answers the refusal when the recorder fails, and logs the failure', async () => {
    refusals.failNext = true;
    const res = await http().get('/test/forbidden');
    expectProblem(res, 403);
    expect(service.logs().find((l) => l.msg === 'could not record a refused request' && l.requestId === res.body.requestId)).toBeDefined();
  });

  it('keeps a caller X-Request-Id that is plain, replaces one that is not', async () => {
    const kept = await http().get('/v1/nothing').set('X-Request-Id', 'abc-123');
    expect(kept.headers['x-request-id']).toBe('abc-123');
    expect(kept.body.requestId).toBe('abc-123');
    for (const unfit of ['x"}{"level":"fatal', 'a'.repeat(129), 'two words']) {
      const replaced = await http().get('/v1/nothing').set('X-Request-Id', unfit);
      expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    }
  });
});
