package io.undercurrent.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TitlesTest {

    @Test
    void findsEveryRowOfAFrameByItsTitle() {
        byte[] frame =
                ("{\"type\":\"changes\",\"id\":\"q\",\"changes\":[{\"op\":\"added\",\"key\":{\"id\":7},\"row\":{\"id\":7,"
                                + "\"owner_id\":\"c3\",\"title\":\"p1234\"}},{\"op\":\"added\",\"row\":{\"title\":\"b9\"}}],\"committedAt\":1}")
                        .getBytes(StandardCharsets.UTF_8);
        List<String> rows = new ArrayList<>();
        int n = Titles.scan(frame, 0, frame.length, (kind, seq) -> rows.add((char) kind + ":" + seq));
        assertThat(n).isEqualTo(2);
        assertThat(rows).containsExactly("p:1234", "b:9");
    }

    @Test
    void ignoresTitlesThatAreNotProbesAndLooksOnlyInsideTheGivenRange() {
        byte[] frame = "xx{\"title\":\"hello\"}{\"title\":\"p12\"}".getBytes(StandardCharsets.UTF_8);
        List<Long> seqs = new ArrayList<>();
        assertThat(Titles.scan(frame, 2, 17, (kind, seq) -> seqs.add(seq))).isZero();
        assertThat(Titles.scan(frame, 0, frame.length - 3, (kind, seq) -> seqs.add(seq)))
                .isZero();
        assertThat(Titles.scan(frame, 0, frame.length, (kind, seq) -> seqs.add(seq)))
                .isEqualTo(1);
        assertThat(seqs).containsExactly(12L);
    }

    @Test
    void recognisesAFramesTypeNearItsStart() {
        byte[] frame = "{\"type\":\"snapshot\",\"id\":\"q\",\"rows\":[]}".getBytes(StandardCharsets.UTF_8);
        assertThat(Titles.isType(frame, 0, frame.length, Titles.typeField("snapshot")))
                .isTrue();
        assertThat(Titles.isType(frame, 0, frame.length, Titles.typeField("changes")))
                .isFalse();
    }
}
