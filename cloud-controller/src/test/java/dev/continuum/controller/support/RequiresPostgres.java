package dev.continuum.controller.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/** Skips the class, with a message saying why, when PostgreSQL is not reachable at 127.0.0.1:5432. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(PostgresCondition.class)
public @interface RequiresPostgres {
}
