package dev.racelab.examples.shop;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Transactional;

/** A doctor asks to go off call; the shift must keep at least one on call. true is "off call", false "refused". */
@Service
public class OnCallService {
    private final DoctorRepository doctors;

    public OnCallService(DoctorRepository doctors) {
        this.doctors = doctors;
    }

    /**
     * Buggy: write skew. Two doctors each count two on call in their snapshot and each takes themself off: each
     * writes a different row, so REPEATABLE READ sees no conflict, and nobody is left on call.
     */
    @Transactional(isolation = Isolation.REPEATABLE_READ)
    public boolean goOffCallRepeatableRead(long doctor) {
        return goOffCallIfAnotherStays(doctor);
    }

    /**
     * Buggy: calls the SERIALIZABLE method on {@code this}, past Spring's proxy, so its {@code @Transactional} is
     * ignored: no transaction at all, each statement commits on its own, and write skew is back.
     */
    public boolean goOffCallSelfInvoked(long doctor) {
        return goOffCallSerializable(doctor);
    }

    /**
     * SERIALIZABLE when called through the proxy: of two doctors who both went off call, one fails with a
     * serialization failure (PostgreSQL) or a deadlock (MariaDB, whose SERIALIZABLE reads take shared locks).
     * {@link RetryingOnCallService} runs it again.
     */
    @Transactional(isolation = Isolation.SERIALIZABLE)
    public boolean goOffCallSerializable(long doctor) {
        return goOffCallIfAnotherStays(doctor);
    }

    private boolean goOffCallIfAnotherStays(long doctor) {
        Doctor d = doctors.findById(doctor).orElseThrow();
        if (!d.isOnCall() || doctors.countByShiftAndOnCallTrue(d.getShift()) < 2) return false;
        d.setOnCall(false);
        doctors.save(d);
        return true;
    }
}
