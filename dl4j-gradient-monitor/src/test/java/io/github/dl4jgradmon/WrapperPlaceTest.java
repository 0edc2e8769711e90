package io.github.dl4jgradmon;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WrapperPlaceTest {

    @ParameterizedTest
    @CsvSource({
            "ParallelWrapper training thread 0, wrapper worker 0",
            "ParallelWrapper training thread 1, wrapper worker 1",
            "ParallelWrapper training thread 12, wrapper worker 12",
            // a pool that names its threads otherwise still numbers them by position
            "pool-7-thread-2, wrapper worker 2",
            "trainer-03, wrapper worker 3",
            "trainer, wrapper thread trainer"
    })
    void placeIsTheNumberEndingTheThreadNameInsideAWrapper(String threadName, String place) {
        assertThat(WrapperPlace.of(threadName, true)).contains(place);
    }

    @Test
    void threadsOutsideAWrapperHaveNoPlace() {
        assertThat(WrapperPlace.of("ParallelWrapper training thread 1", false)).isEmpty();
        assertThat(WrapperPlace.of("main", false)).isEmpty();
        // this test runs on an ordinary thread, called by no ParallelWrapper trainer
        assertThat(WrapperPlace.current()).isEmpty();
    }
}
