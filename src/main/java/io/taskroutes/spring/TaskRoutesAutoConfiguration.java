package io.taskroutes.spring;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

import io.taskroutes.TaskRoutes;

/**
 * Spring Boot with camel-spring-boot: adding the dependency is enough. The bundle is one {@link TaskRoutes}
 * bean, which camel-spring-boot adds to the application's CamelContext like any RoutesBuilder bean; its
 * settings are the application's {@code tasks.*} properties. {@code tasks.enabled=false} leaves it out, and an
 * application that declares its own TaskRoutes bean keeps that one.
 */
@AutoConfiguration
@ConditionalOnClass(name = "org.apache.camel.spring.boot.CamelAutoConfiguration")
@ConditionalOnProperty(prefix = "tasks", name = "enabled", havingValue = "true", matchIfMissing = true)
public class TaskRoutesAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(TaskRoutes.class)
    public TaskRoutes taskRoutes() {
        return new TaskRoutes();
    }
}
