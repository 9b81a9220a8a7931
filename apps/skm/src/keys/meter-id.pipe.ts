import { Injectable, type PipeTransform } from '@nestjs/common';
import { ProblemException } from '@smpki/platform';
import { METER_ID_PATTERN } from '@smpki/skm';

/** The `:meterId` path parameter: 16 hex digits (DLMS system title or wM-Bus M+A fields), else a 400 naming the rule. */
@Injectable()
export class MeterIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (METER_ID_PATTERN.test(value)) return value.toUpperCase();
    const message = 'a meter id is 16 hex digits: a DLMS system title or a wM-Bus manufacturer + address field (8 bytes)';
    throw ProblemException.validation([{ field: 'meterId', rule: 'meter.id-format', message }]);
  }
}
