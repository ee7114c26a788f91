package dev.continuum.controller.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/** Skips the class, with a message saying why, when no MQTT broker answers at 127.0.0.1:1883. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(MosquittoCondition.class)
public @interface RequiresMosquitto {
}
