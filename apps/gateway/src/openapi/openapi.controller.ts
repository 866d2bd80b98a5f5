import { Controller, Get } from '@nestjs/common';
import { openApiDocument } from './openapi.document.js';

@Controller('v1')
export class OpenApiController {
  private readonly document = openApiDocument();

  @Get('openapi.json')
  get(): Record<string, unknown> {
    return this.document;
  }
}
