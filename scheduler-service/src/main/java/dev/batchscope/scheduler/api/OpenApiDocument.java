package dev.batchscope.scheduler.api;

import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

/** Document-level OpenAPI facts; the operations come from {@link SweepResource}. */
@OpenAPIDefinition(info = @Info(title = "batchscope scheduler", version = "v1",
        description = "Submit batch-size sweeps, follow their runs, cancel them"))
@SecurityScheme(securitySchemeName = "bearer", type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "Needed for POST and DELETE when BATCHSCOPE_API_TOKEN is set")
public class OpenApiDocument extends Application {
}
