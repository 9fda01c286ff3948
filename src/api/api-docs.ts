import {
  Controller,
  Get,
  Injectable,
  NotFoundException,
  type INestApplication,
} from '@nestjs/common';
import {
  ApiExcludeController,
  DocumentBuilder,
  SwaggerModule,
  type OpenAPIObject,
} from '@nestjs/swagger';
import { Can } from '../auth/casl/policy.decorator.js';

/** Holds the OpenAPI document, built once the app's routes exist. */
@Injectable()
export class ApiDocs {
  document?: OpenAPIObject;
}

/** The OpenAPI document at /api/docs, behind sign-in like every other route. */
@ApiExcludeController()
@Controller('api/docs')
export class ApiDocsController {
  constructor(private readonly docs: ApiDocs) {}

  @Can('read', 'Case')
  @Get()
  document(): OpenAPIObject {
    if (!this.docs.document) throw new NotFoundException('The API document is not built yet');
    return this.docs.document;
  }
}

export function setupApiDocs(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Caseboard API')
    .setDescription(
      'Normalized GLPI, JIRA and Bugzilla cases. Authenticate with a session cookie or `Authorization: Bearer <token>` (see bin/token).',
    )
    .setVersion('1')
    .addBearerAuth()
    .build();
  app.get(ApiDocs).document = SwaggerModule.createDocument(app, config);
}
