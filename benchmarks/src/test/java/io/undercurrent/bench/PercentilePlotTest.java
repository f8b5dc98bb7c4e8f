package io.undercurrent.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class PercentilePlotTest {

    @Test
    void drawsOneLineAndOneLegendEntryPerSystem() {
        Histogram fast = new Histogram(3);
        Histogram slow = new Histogram(3);
        for (int i = 1; i <= 1000; i++) {
            fast.recordValue(500 + i);
            slow.recordValue(20_000 + 40L * i);
        }
        Map<String, Histogram> series = new LinkedHashMap<>();
        series.put("undercurrent", slow);
        series.put("naive peer", fast);
        String svg = PercentilePlot.svg("commit → client", series);
        assertThat(svg).startsWith("<svg").endsWith("</svg>\n");
        assertThat(svg.split("<polyline", -1)).hasSize(3);
        assertThat(svg).contains("undercurrent", "naive peer", "p50 40.0 ms", "99.99%");
    }

    @Test
    void anEmptySeriesStillGivesAPlot() {
        assertThat(PercentilePlot.svg("nothing", Map.of("undercurrent", new Histogram(3))))
                .contains("n=0")
                .doesNotContain("<polyline");
    }
}
