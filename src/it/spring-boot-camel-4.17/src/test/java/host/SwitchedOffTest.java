package host;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import io.taskroutes.TaskRoutes;

/** tasks.enabled=false: the auto-configuration stays out; the host's Camel runs without the bundle. */
@SpringBootTest(properties = "tasks.enabled=false")
class SwitchedOffTest {

    @Autowired
    CamelContext camel;

    @Autowired
    org.springframework.context.ApplicationContext spring;

    @Test
    void noBundleRoutesWhenSwitchedOff() {
        assertThat(spring.getBeansOfType(TaskRoutes.class)).isEmpty();
        assertThat(camel.getRoute("task-dispatch")).isNull();
        assertThat(camel.hasEndpoint("direct://task.get")).isNull();
    }
}
